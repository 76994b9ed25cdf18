-- Run once at image build time, over the local socket as the mysql user.
CREATE DATABASE shop CHARACTER SET utf8mb4;
CREATE USER 'shop'@'%' IDENTIFIED BY 'shop-secret';
GRANT ALL ON shop.* TO 'shop'@'%';
CREATE USER 'admin'@'%' IDENTIFIED BY 'admin-secret';
GRANT ALL ON *.* TO 'admin'@'%' WITH GRANT OPTION;
USE shop;
CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, price DECIMAL(8,2) NOT NULL, KEY (name)) ENGINE=InnoDB;
INSERT INTO items (name, price) VALUES ('Crème brûlée', 6.50), ('Apfelstrudel', 5.25), ('Tiramisù', 7.00);
