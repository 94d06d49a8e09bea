from chargecheck.cli.entry import main

main()
