<?php
// Adminer's entry point for this image (replaces Debian's /etc/adminer/conf.php): the
// plugins Debian ships are loaded the way Debian's file loads them, and two are enabled:
// no version check, and a password for the password-less SQLite database.
define('ADMINER_DIR', '/usr/share/adminer');

function adminer_object() {
    include_once ADMINER_DIR . "/plugins/plugin.php";
    foreach (glob(ADMINER_DIR . "/plugins/*.php") as $filename) {
        include_once $filename;
    }
    $plugins = array(
        new AdminerVersionNoverify(),
        new AdminerLoginPasswordLess(password_hash("corpus-pw", PASSWORD_DEFAULT)),
    );
    return new AdminerPlugin($plugins);
}

include ADMINER_DIR . "/adminer.php";
