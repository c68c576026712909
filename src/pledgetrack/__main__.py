"""Allow `python -m pledgetrack`."""

from pledgetrack.launch import main

if __name__ == "__main__":
    main()
