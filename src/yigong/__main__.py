from yigong.cli import main

raise SystemExit(main())
