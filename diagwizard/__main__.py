from diagwizard.ui.cli import run

run()
