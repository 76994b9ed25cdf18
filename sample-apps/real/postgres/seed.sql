-- Run once at image build time by the postgres user.
ALTER ROLE postgres PASSWORD 'corpus-admin';
CREATE ROLE shop LOGIN PASSWORD 'shop-secret';
CREATE DATABASE shop OWNER shop;
\connect shop
SET ROLE shop;
CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, price numeric(8,2) NOT NULL);
INSERT INTO items (name, price) VALUES ('Crème brûlée', 6.50), ('Apfelstrudel', 5.25), ('Tiramisù', 7.00);
CREATE INDEX items_name ON items (name);
