from kvorum.cli import main

main()
