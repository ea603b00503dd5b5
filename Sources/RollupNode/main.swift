print("rollup-node")
