extension AccessListEntry {
    /// rlp([[address, [key, ...]], ...]).
    static func write(_ list: [AccessListEntry], to w: inout RLPWriter) {
        w.writeList { w in
            for entry in list {
                w.writeList { w in
                    w.write(entry.address)
                    w.writeList { w in for key in entry.storageKeys { w.write(key) } }
                }
            }
        }
    }

    /// Reads an access list strictly: every entry is exactly [20-byte address, [32-byte keys]].
    static func read(from r: inout RLPReader) throws(RLPError) -> [AccessListEntry] {
        var list = try r.readList()
        var entries: [AccessListEntry] = []
        while !list.isAtEnd {
            var entry = try list.readList()
            let count = try entry.remainingCount()
            guard count == 2 else { throw .wrongFieldCount(expected: 2, actual: count) }
            let address = try entry.readAddress()
            var keys = try entry.readList()
            var storageKeys: [Hash32] = []
            while !keys.isAtEnd { storageKeys.append(try keys.readHash()) }
            entries.append(AccessListEntry(address: address, storageKeys: storageKeys))
        }
        return entries
    }
}
