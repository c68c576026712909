"""Allow `python -m pledgetrack`."""

from pledgetrack.cli.app import main

if __name__ == "__main__":
    main()
