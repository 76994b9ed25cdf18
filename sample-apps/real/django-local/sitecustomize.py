# The interpreter binary is Debian's: its site module is frozen into it and only knows the
# dist-packages directories. Add this prefix's lib/python3.X/site-packages (with its .pth
# files), which is where a CPython built from source looks for installed packages.
import os
import site
import sys

site.addsitedir(os.path.join(sys.prefix, "lib", "python%d.%d" % sys.version_info[:2], "site-packages"))
