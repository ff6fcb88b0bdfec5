"""The quarterly exception report (HTML and PDF): reads only through `indicators`, the shared view-models
(`viewmodels`) and figure builders (`charts`); never imports `dashboard` or `pipelines`."""
