"""pledgetrack: record neighbourhood policing pledges, log what was done, report compliance."""

__version__ = "0.1.0"
