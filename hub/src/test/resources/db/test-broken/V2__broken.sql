-- the second statement fails, so the whole upgrade must roll back
CREATE TABLE second (id INTEGER PRIMARY KEY);
INSERT INTO no_such_table VALUES (1);
