"""Reports for people outside the station: the public update, the HQ report, inspection.

Services compute the figures (services.public_update, services.hq_report,
services.inspection); the modules here only lay them out as Markdown, HTML, SVG or text.
"""
