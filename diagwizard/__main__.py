from diagwizard.ui.launch import run

run()
