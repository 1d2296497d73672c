from saferboard.cli import main

main()
