<?php
// Build-time seed of the SQLite database Adminer logs in to.
$db = new SQLite3('/var/lib/adminer/corpus.sqlite');
$db->exec("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT)");
$db->exec("INSERT INTO books (title, author) VALUES ('Dune', 'Frank Herbert'), ('Der Process', 'Franz Kafka'), ('Rayuela', 'Julio Cortázar')");
$db->close();
