"""The demo data set: four scenes from the source reports, loaded by `manage.py load_demo`."""
