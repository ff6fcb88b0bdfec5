"""The Dash app the safeguarding effectiveness group uses; reads only through `indicators`."""
