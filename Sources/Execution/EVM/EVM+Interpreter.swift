import Primitives

extension EVM {
    /// The dispatch loop: runs `code` for message `m` until it stops, returns, reverts or halts.
    func run(code: AnalysedCode, message m: Message) -> FrameResult {
        let stack = stackBuffer(depth: m.depth)
        var sp = 0
        let memory = EVMMemory()
        var gas = m.gas
        var pc = 0
        var returnData: [UInt8] = []
        let bytes = code.bytes
        let table = opcodeTable
        let rules = self.rules
        let address = m.target

        @inline(__always) func halt(_ reason: HaltReason) -> FrameResult {
            FrameResult(status: .halt(reason), gasLeft: 0, output: [])
        }

        while true {
            let op = bytes[pc]
            let info = table[Int(op)]
            if Tracer.isEnabled {
                tracer.step(pc: pc, op: op, gas: gas, gasCost: info.gas, memory: memory,
                            stack: stack, stackCount: sp, depth: m.depth, refund: state.refund)
            }
            guard info.valid else { return halt(.invalidOpcode) }
            if sp < info.pops { return halt(.stackUnderflow) }
            if sp > info.maxStackBefore { return halt(.stackOverflow) }
            if gas < info.gas { return halt(.outOfGas) }
            gas -= info.gas

            switch op {
            case 0x00:
                return FrameResult(status: .success, gasLeft: gas, output: [])
            case 0x01:
                stack[sp - 2] = stack[sp - 1].evmAdd(stack[sp - 2]); sp -= 1
            case 0x02:
                stack[sp - 2] = stack[sp - 1].evmMul(stack[sp - 2]); sp -= 1
            case 0x03:
                stack[sp - 2] = stack[sp - 1].evmSub(stack[sp - 2]); sp -= 1
            case 0x04:
                stack[sp - 2] = stack[sp - 1].dividedOrZero(by: stack[sp - 2]); sp -= 1
            case 0x05:
                stack[sp - 2] = stack[sp - 1].signedDivide(by: stack[sp - 2]); sp -= 1
            case 0x06:
                stack[sp - 2] = stack[sp - 1].remainderOrZero(dividingBy: stack[sp - 2]); sp -= 1
            case 0x07:
                stack[sp - 2] = stack[sp - 1].signedRemainder(dividingBy: stack[sp - 2]); sp -= 1
            case 0x08:
                stack[sp - 3] = stack[sp - 1].addMod(stack[sp - 2], stack[sp - 3]); sp -= 2
            case 0x09:
                stack[sp - 3] = stack[sp - 1].mulMod(stack[sp - 2], stack[sp - 3]); sp -= 2
            case 0x0a:
                let e = stack[sp - 2]
                let cost = rules.expByteGas * e.byteLength
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                stack[sp - 2] = stack[sp - 1].power(e); sp -= 1
            case 0x0b:
                stack[sp - 2] = stack[sp - 2].signExtend(fromByte: stack[sp - 1]); sp -= 1
            case 0x10:
                stack[sp - 2] = stack[sp - 1] < stack[sp - 2] ? .one : .zero; sp -= 1
            case 0x11:
                stack[sp - 2] = stack[sp - 1] > stack[sp - 2] ? .one : .zero; sp -= 1
            case 0x12:
                stack[sp - 2] = stack[sp - 1].signedLessThan(stack[sp - 2]) ? .one : .zero; sp -= 1
            case 0x13:
                stack[sp - 2] = stack[sp - 2].signedLessThan(stack[sp - 1]) ? .one : .zero; sp -= 1
            case 0x14:
                stack[sp - 2] = stack[sp - 1] == stack[sp - 2] ? .one : .zero; sp -= 1
            case 0x15:
                stack[sp - 1] = stack[sp - 1].isZero ? .one : .zero
            case 0x16:
                stack[sp - 2] = stack[sp - 1] & stack[sp - 2]; sp -= 1
            case 0x17:
                stack[sp - 2] = stack[sp - 1] | stack[sp - 2]; sp -= 1
            case 0x18:
                stack[sp - 2] = stack[sp - 1] ^ stack[sp - 2]; sp -= 1
            case 0x19:
                stack[sp - 1] = ~stack[sp - 1]
            case 0x1a:
                stack[sp - 2] = stack[sp - 2].byte(at: stack[sp - 1]); sp -= 1
            case 0x1b:
                stack[sp - 2] = stack[sp - 2].shiftedLeft(by: stack[sp - 1]); sp -= 1
            case 0x1c:
                stack[sp - 2] = stack[sp - 2].shiftedRight(by: stack[sp - 1]); sp -= 1
            case 0x1d:
                stack[sp - 2] = stack[sp - 2].arithmeticShiftRight(by: stack[sp - 1]); sp -= 1
            case 0x1e:
                stack[sp - 1] = U256(UInt64(stack[sp - 1].countLeadingZeroBits))
            case 0x20:
                guard let (offset, size) = region(stack[sp - 1], stack[sp - 2]) else { return halt(.outOfGas) }
                let cost = rules.keccakWordGas * ((size + 31) / 32)
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                guard expandMemory(memory, offset, size, &gas) else { return halt(.outOfGas) }
                let h = Keccak.hash256(UnsafeRawBufferPointer(start: memory.pointer + offset, count: size))
                stack[sp - 2] = U256(hash: h); sp -= 1
            case 0x30:
                stack[sp] = U256(address: address); sp += 1
            case 0x31:
                let a = stack[sp - 1].address
                if !chargeAccess(a, &gas) { return halt(.outOfGas) }
                stack[sp - 1] = state.balance(a)
            case 0x32:
                stack[sp] = U256(address: context.origin); sp += 1
            case 0x33:
                stack[sp] = U256(address: m.caller); sp += 1
            case 0x34:
                stack[sp] = m.value; sp += 1
            case 0x35:
                stack[sp - 1] = Self.load32(m.input, offset: stack[sp - 1])
            case 0x36:
                stack[sp] = U256(UInt64(m.input.count)); sp += 1
            case 0x37, 0x39, 0x3e:
                guard let (offset, size) = region(stack[sp - 1], stack[sp - 3]) else { return halt(.outOfGas) }
                let source = stack[sp - 2]
                sp -= 3
                let cost = rules.copyWordGas * ((size + 31) / 32)
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                guard expandMemory(memory, offset, size, &gas) else { return halt(.outOfGas) }
                let from = Self.clamp(source)
                switch op {
                case 0x37: memory.write(offset, size, from: m.input, sourceOffset: from)
                case 0x39: memory.write(offset, size, from: UnsafeRawBufferPointer(start: bytes, count: code.count), sourceOffset: from)
                default:
                    let (end, o) = source.addingReportingOverflow(U256(UInt64(size)))
                    if o || end > U256(UInt64(returnData.count)) { return halt(.returnDataOutOfBounds) }
                    memory.write(offset, size, from: returnData, sourceOffset: from)
                }
            case 0x38:
                stack[sp] = U256(UInt64(code.count)); sp += 1
            case 0x3a:
                stack[sp] = context.gasPrice; sp += 1
            case 0x3b:
                let a = stack[sp - 1].address
                if !chargeAccess(a, &gas) { return halt(.outOfGas) }
                stack[sp - 1] = U256(UInt64(state.code(a).count))
            case 0x3c:
                let a = stack[sp - 1].address
                guard let (offset, size) = region(stack[sp - 2], stack[sp - 4]) else { return halt(.outOfGas) }
                let source = stack[sp - 3]
                sp -= 4
                let cost = rules.copyWordGas * ((size + 31) / 32)
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                guard expandMemory(memory, offset, size, &gas) else { return halt(.outOfGas) }
                if !chargeAccess(a, &gas) { return halt(.outOfGas) }
                memory.write(offset, size, from: state.code(a), sourceOffset: Self.clamp(source))
            case 0x3d:
                stack[sp] = U256(UInt64(returnData.count)); sp += 1
            case 0x3f:
                let a = stack[sp - 1].address
                if !chargeAccess(a, &gas) { return halt(.outOfGas) }
                stack[sp - 1] = state.isAlive(a) ? U256(hash: state.codeHash(a)) : .zero
            case 0x40:
                stack[sp - 1] = blockHash(stack[sp - 1])
            case 0x41:
                stack[sp] = U256(address: block.coinbase); sp += 1
            case 0x42:
                stack[sp] = U256(block.timestamp); sp += 1
            case 0x43:
                stack[sp] = U256(block.number); sp += 1
            case 0x44:
                stack[sp] = rules.prevRandao == .zero ? .zero : U256(hash: block.prevRandao); sp += 1
            case 0x45:
                stack[sp] = U256(block.gasLimit); sp += 1
            case 0x46:
                stack[sp] = U256(block.chainID); sp += 1
            case 0x47:
                stack[sp] = state.balance(address); sp += 1
            case 0x48:
                stack[sp] = block.baseFee; sp += 1
            case 0x49:
                let i = stack[sp - 1].int(atMost: Int(Int32.max)) ?? Int.max
                stack[sp - 1] = i < context.blobHashes.count ? U256(hash: context.blobHashes[i]) : .zero
            case 0x4a:
                stack[sp] = context.blobBaseFee; sp += 1
            case 0x50:
                sp -= 1
            case 0x51:
                guard let offset = stack[sp - 1].int(atMost: Int(UInt32.max)), expandMemory(memory, offset, 32, &gas) else { return halt(.outOfGas) }
                stack[sp - 1] = U256(bigEndianRawBytes: memory.pointer + offset)
            case 0x52:
                guard let offset = stack[sp - 1].int(atMost: Int(UInt32.max)), expandMemory(memory, offset, 32, &gas) else { return halt(.outOfGas) }
                stack[sp - 2].storeBigEndian(to: memory.pointer + offset)
                sp -= 2
            case 0x53:
                guard let offset = stack[sp - 1].int(atMost: Int(UInt32.max)), expandMemory(memory, offset, 1, &gas) else { return halt(.outOfGas) }
                memory.pointer[offset] = UInt8(truncatingIfNeeded: stack[sp - 2].l0)
                sp -= 2
            case 0x54:
                let key = stack[sp - 1]
                let cost = state.warm(address, slot: key) ? rules.coldSloadGas : rules.warmStorageReadGas
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                stack[sp - 1] = state.storage(address, key)
            case 0x55:
                if m.isStatic { return halt(.staticStateChange) }
                if gas <= rules.sstoreSentryGas { return halt(.outOfGas) }
                let key = stack[sp - 1], value = stack[sp - 2]
                sp -= 2
                var g = gas
                if !sstore(address, key, value, &g) { return halt(.outOfGas) }
                gas = g
            case 0x56:
                guard let dest = stack[sp - 1].int(atMost: Int(UInt32.max)), code.isJumpDestination(dest) else {
                    return halt(.invalidJump)
                }
                sp -= 1
                pc = dest
                continue
            case 0x57:
                let condition = stack[sp - 2]
                let target = stack[sp - 1]
                sp -= 2
                if !condition.isZero {
                    guard let dest = target.int(atMost: Int(UInt32.max)), code.isJumpDestination(dest) else {
                        return halt(.invalidJump)
                    }
                    pc = dest
                    continue
                }
            case 0x58:
                stack[sp] = U256(UInt64(pc)); sp += 1
            case 0x59:
                stack[sp] = U256(UInt64(memory.count)); sp += 1
            case 0x5a:
                stack[sp] = U256(UInt64(gas)); sp += 1
            case 0x5b:
                break
            case 0x5c:
                stack[sp - 1] = state.transientStorage(address, stack[sp - 1])
            case 0x5d:
                if m.isStatic { return halt(.staticStateChange) }
                state.setTransientStorage(address, stack[sp - 1], stack[sp - 2])
                sp -= 2
            case 0x5e:
                guard let size = stack[sp - 3].int(atMost: Int(UInt32.max)) else { return halt(.outOfGas) }
                var dst = 0, src = 0
                if size > 0 {
                    guard let d = stack[sp - 1].int(atMost: Int(UInt32.max)),
                          let s = stack[sp - 2].int(atMost: Int(UInt32.max)) else { return halt(.outOfGas) }
                    dst = d; src = s
                }
                sp -= 3
                let cost = rules.copyWordGas * ((size + 31) / 32)
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                guard expandMemory(memory, max(dst, src), size, &gas) else { return halt(.outOfGas) }
                if size > 0 { (memory.pointer + dst).update(from: memory.pointer + src, count: size) }
            case 0x5f:
                stack[sp] = .zero; sp += 1
            case 0x60...0x7f:
                let n = Int(op) - 0x5f
                stack[sp] = Self.readPush(bytes + pc + 1, n)
                sp += 1
                pc += n
            case 0x80...0x8f:
                stack[sp] = stack[sp - 1 - Int(op - 0x80)]; sp += 1
            case 0x90...0x9f:
                let other = sp - 2 - Int(op - 0x90)
                let t = stack[sp - 1]; stack[sp - 1] = stack[other]; stack[other] = t
            case 0xa0...0xa4:
                if m.isStatic { return halt(.staticStateChange) }
                let topicCount = Int(op - 0xa0)
                guard let (offset, size) = region(stack[sp - 1], stack[sp - 2]) else { return halt(.outOfGas) }
                let cost = rules.logDataGas * size
                if gas < cost { return halt(.outOfGas) }
                gas -= cost
                guard expandMemory(memory, offset, size, &gas) else { return halt(.outOfGas) }
                var topics: [Hash32] = []
                for t in 0..<topicCount { topics.append(stack[sp - 3 - t].hash) }
                sp -= 2 + topicCount
                let log = Log(address: address, topics: topics, data: memory.bytes(offset, size))
                if Tracer.isEnabled { tracer.log(log) }
                state.addLog(log)
            case 0xf0, 0xf5:
                if m.isStatic { return halt(.staticStateChange) }
                // Copies keep `gas` and `sp` out of memory in the loop (their addresses escape here).
                var g = gas, s = sp
                let reason = performCreate(op == 0xf5, m, stack, &s, memory, &g, &returnData)
                gas = g; sp = s
                if let reason { return halt(reason) }
            case 0xf1, 0xf2, 0xf4, 0xfa:
                var g = gas, s = sp
                let reason = performCall(op, m, stack, &s, memory, &g, &returnData)
                gas = g; sp = s
                if let reason { return halt(reason) }
            case 0xf3, 0xfd:
                guard let (offset, size) = region(stack[sp - 1], stack[sp - 2]) else { return halt(.outOfGas) }
                guard expandMemory(memory, offset, size, &gas) else { return halt(.outOfGas) }
                return FrameResult(status: op == 0xf3 ? .success : .revert, gasLeft: gas, output: memory.bytes(offset, size))
            case 0xff:
                if m.isStatic { return halt(.staticStateChange) }
                let beneficiary = stack[sp - 1].address
                sp -= 1
                var g = gas
                if !selfDestruct(address, beneficiary, &g) { return halt(.outOfGas) }
                gas = g
                return FrameResult(status: .success, gasLeft: gas, output: [])
            default:
                return halt(.invalidOpcode)
            }
            pc += 1
        }
    }

    // MARK: helpers

    /// Charges memory expansion to cover [offset, offset+size) and grows the memory.
    @inline(__always) func expandMemory(_ memory: EVMMemory, _ offset: Int, _ size: Int, _ gas: inout Int) -> Bool {
        if size == 0 { return true }
        let end = offset + size
        if end <= memory.count { return true }
        let newWords = (end + 31) / 32
        let oldWords = memory.words
        let cost = rules.memoryWordGas * (newWords - oldWords)
            + newWords * newWords / rules.memoryQuadraticDivisor - oldWords * oldWords / rules.memoryQuadraticDivisor
        if gas < cost { return false }
        gas -= cost
        memory.grow(to: newWords * 32)
        return true
    }

    /// A memory region from stack operands: (0, 0) when empty; nil when too large to pay for.
    @inline(__always) func region(_ offset: U256, _ size: U256) -> (Int, Int)? {
        guard let s = size.int(atMost: Int(UInt32.max)) else { return nil }
        if s == 0 { return (0, 0) }
        guard let o = offset.int(atMost: Int(UInt32.max)) else { return nil }
        return (o, s)
    }

    static func clamp(_ v: U256) -> Int { v.int(atMost: Int(UInt32.max)) ?? Int(UInt32.max) }

    static func load32(_ data: [UInt8], offset: U256) -> U256 {
        guard let o = offset.int(atMost: Int(UInt32.max)), o < data.count else { return .zero }
        var word = [UInt8](repeating: 0, count: 32)
        let n = min(32, data.count - o)
        for i in 0..<n { word[i] = data[o + i] }
        return U256(bigEndian: word)!
    }

    /// The n (1...32) big-endian bytes at `p` as a word: whole 8-byte chunks from the end are
    /// loaded at once (the code's 33 bytes of padding keep every load inside the buffer).
    @inline(__always) static func readPush(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> U256 {
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var end = n
        var index = 0
        while end > 0 {
            let start = max(0, end - 8)
            var v: UInt64
            if end - start == 8 {
                v = UInt64(bigEndian: UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self))
            } else {
                v = 0
                for k in start..<end { v = v << 8 | UInt64(p[k]) }
            }
            switch index {
            case 0: limbs.0 = v
            case 1: limbs.1 = v
            case 2: limbs.2 = v
            default: limbs.3 = v
            }
            index += 1
            end = start
        }
        return U256(l0: limbs.0, l1: limbs.1, l2: limbs.2, l3: limbs.3)
    }

    /// Charges the EIP-2929 account access (warm or cold) and warms the address.
    @inline(__always) func chargeAccess(_ a: Address, _ gas: inout Int) -> Bool {
        let cost = state.warm(a) ? rules.coldAccountAccessGas : rules.warmStorageReadGas
        if gas < cost { return false }
        gas -= cost
        return true
    }

    func blockHash(_ n: U256) -> U256 {
        guard let number = n.uint64 else { return .zero }
        switch rules.blockHash {
        case .recentBlocks:
            guard number < block.number, block.number - number <= 256 else { return .zero }
            return block.blockHashes(number).map { U256(hash: $0) } ?? .zero
        case .chainIDAndNumber:
            // Scroll before Feynman: the same window as Ethereum's (scroll-revm checks
            // BLOCK_HASH_HISTORY), with keccak256(chain id ‖ number) for the hash.
            guard number < block.number, block.number - number <= 256 else { return .zero }
            var bytes: [UInt8] = []
            for i in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: block.chainID >> UInt64(i))) }
            for i in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: number >> UInt64(i))) }
            return U256(hash: Keccak.hash256(bytes))
        case .historyStorage(let contract, let window):
            guard number < block.number, block.number - number <= 256 else { return .zero }
            let slot = U256(number % window)
            state.warm(contract)
            state.warm(contract, slot: slot)
            return state.storage(contract, slot)
        }
    }

    /// SSTORE gas and refunds (EIP-2200 with EIP-2929 and EIP-3529).
    func sstore(_ address: Address, _ key: U256, _ value: U256, _ gas: inout Int) -> Bool {
        var cost = 0
        if state.warm(address, slot: key) { cost += rules.coldSloadGas }
        let current = state.storage(address, key)
        let original = state.originalStorage(address, key)
        if original == current && current != value {
            cost += original.isZero ? rules.sstoreSetGas : rules.sstoreResetGas
        } else {
            cost += rules.warmStorageReadGas
        }
        if gas < cost { return false }
        gas -= cost
        if current != value {
            var refund = 0
            if original == current {
                if !original.isZero && value.isZero { refund += rules.sstoreClearsRefund }
            } else {
                if !original.isZero {
                    if current.isZero { refund -= rules.sstoreClearsRefund }
                    if value.isZero { refund += rules.sstoreClearsRefund }
                }
                if original == value {
                    refund += original.isZero ? rules.sstoreSetGas - rules.warmStorageReadGas
                                              : rules.sstoreResetGas - rules.warmStorageReadGas
                }
            }
            if refund != 0 { state.addRefund(refund) }
            state.setStorage(address, key, value)
        }
        return true
    }

    /// SELFDESTRUCT under EIP-6780.
    func selfDestruct(_ address: Address, _ beneficiary: Address, _ gas: inout Int) -> Bool {
        var cost = 0
        if state.warm(beneficiary) { cost += rules.coldAccountAccessGas }
        let balance = state.balance(address)
        if !balance.isZero && !state.isAlive(beneficiary) { cost += rules.newAccountGas }
        if gas < cost { return false }
        gas -= cost
        state.setBalance(address, .zero)
        state.addBalance(beneficiary, balance)
        if state.wasCreatedInTransaction(address) {
            state.setBalance(address, .zero)
            state.markSelfDestructed(address)
        }
        return true
    }
}

extension U256 {
    /// From 32 big-endian bytes in memory.
    @inline(__always) init(bigEndianRawBytes p: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeRawPointer(p)
        self.init(l0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
                  l1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                  l2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                  l3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }

    /// Writes the 32 big-endian bytes to memory.
    @inline(__always) func storeBigEndian(to p: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(p)
        raw.storeBytes(of: l3.bigEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: l2.bigEndian, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: l1.bigEndian, toByteOffset: 16, as: UInt64.self)
        raw.storeBytes(of: l0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }
}
