"""The demo data set: three scenes from the source reports, loaded by `manage.py load_demo`."""
