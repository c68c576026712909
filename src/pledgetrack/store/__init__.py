"""The only package that speaks SQL. Everything goes through sqlite-utils or its `db.conn`."""
