from diagwizard.cli import run

run()
