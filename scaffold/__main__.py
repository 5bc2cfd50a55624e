"""Allow ``python -m scaffold``."""

from scaffold.main import main

raise SystemExit(main())
