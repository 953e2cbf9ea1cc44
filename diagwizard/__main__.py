from diagwizard.cli import main

raise SystemExit(main())
