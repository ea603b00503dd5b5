extension Hash32 {
    /// The root of the empty trie: keccak256(rlp("")) = keccak256(0x80).
    public static let emptyTrieRoot = Hash32(w0: 0x56e8_1f17_1bcc_55a6, w1: 0xff83_45e6_92c0_f86e,
                                             w2: 0x5b48_e01b_996c_adc0, w3: 0x0162_2fb5_e363_b421)

    /// The ommers hash of a block without ommers: keccak256(rlp([])) = keccak256(0xc0).
    public static let emptyOmmersHash = Hash32(w0: 0x1dcc_4de8_dec7_5d7a, w1: 0xab85_b567_b6cc_d41a,
                                               w2: 0xd312_451b_948a_7413, w3: 0xf0a1_42fd_40d4_9347)

    /// The code hash of an account without code: keccak256 of the empty string.
    public static let emptyCodeHash = emptyKeccak
}
