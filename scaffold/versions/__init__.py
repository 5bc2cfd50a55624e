"""Template versions: which ones this install carries, and how Copier is pointed at them.

Every template version lives as a tag in a small git repository shipped as a bundle (built from the
history of ``template/`` by ``history``/``bundle``); ``store`` finds or builds that bundle and
``gitenv`` makes Copier's git calls read it through a fixed URL.
"""

from __future__ import annotations

# The URL every project records as ``_src_path``. It never resolves (``.invalid``): at run time git
# rewrites it to the bundle of the running install, so projects survive reinstalls and upgrades.
TEMPLATE_URL = "https://partner-scaffold.invalid/template.git"
