import BDSStore
