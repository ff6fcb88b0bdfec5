"""The quarterly exception report (HTML and PDF): reads only through `indicators` and the dashboard's
pure view-models and figure builders; never imports `pipelines`."""
