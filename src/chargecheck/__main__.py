from chargecheck.entry import main

main()
