from diagwizard.launch import run

run()
