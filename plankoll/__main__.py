from plankoll.cli import main

main()
