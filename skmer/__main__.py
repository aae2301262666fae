"""``python -m skmer``: the skmer command line (see ``skmer --help``)."""

import sys


def main(argv=None):
    """Run the ``skmer`` command line."""
    from skmer._cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
