from chargecheck.cli import main

main()
