"""Write side: detect, parse, validate, pseudonymise and load input files into the warehouse."""
