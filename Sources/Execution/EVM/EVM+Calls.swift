import Primitives

extension EVM {
    /// CALL (0xf1), CALLCODE (0xf2), DELEGATECALL (0xf4), STATICCALL (0xfa). Returns a halt
    /// reason, or nil after pushing the success flag.
    @inline(never)
    func performCall(_ op: UInt8, _ m: Message, _ stack: UnsafeMutablePointer<U256>, _ sp: inout Int,
                     _ memory: EVMMemory, _ gas: inout Int, _ returnData: inout [UInt8]) -> HaltReason? {
        let hasValue = op == 0xf1 || op == 0xf2
        let requested = stack[sp - 1]
        let to = stack[sp - 2].address
        let value = hasValue ? stack[sp - 3] : .zero
        let a = hasValue ? 4 : 3
        let argsRegion = region(stack[sp - a], stack[sp - a - 1])
        let retRegion = region(stack[sp - a - 2], stack[sp - a - 3])
        sp -= hasValue ? 7 : 6
        guard let (argsOffset, argsSize) = argsRegion, let (retOffset, retSize) = retRegion else { return .outOfGas }
        guard expandMemory(memory, argsOffset, argsSize, &gas), expandMemory(memory, retOffset, retSize, &gas) else {
            return .outOfGas
        }
        var extra = state.warm(to) ? rules.coldAccountAccessGas : rules.warmStorageReadGas
        // EIP-7702: a designator at `to` runs its delegate's code; the caller pays to access it.
        var codeAddress = to
        var delegated = false
        if rules.supportsSetCodeTransactions, let delegate = codeCache.delegate(of: to, in: state) {
            extra += state.warm(delegate) ? rules.coldAccountAccessGas : rules.warmStorageReadGas
            codeAddress = delegate
            delegated = true
        }
        if !value.isZero {
            extra += rules.callValueTransferGas
            if op == 0xf1 && !state.isAlive(to) { extra += rules.newAccountGas }
        }
        if gas < extra { return .outOfGas }
        gas -= extra
        if op == 0xf1 && m.isStatic && !value.isZero { return .staticStateChange }
        let available = gas - gas / 64
        var callGas = requested.int(atMost: available) ?? available
        gas -= callGas
        if Tracer.isEnabled { tracer.opCharged(gasLeft: gas) }
        if !value.isZero { callGas += rules.callStipend }
        returnData = []
        if m.depth + 1 > rules.maxCallDepth || (!value.isZero && state.balance(m.target) < value) {
            gas += callGas
            stack[sp] = .zero; sp += 1
            return nil
        }
        let input = memory.bytes(argsOffset, argsSize)
        var child: Message
        switch op {
        case 0xf1:
            child = Message(kind: .call, caller: m.target, target: to, codeAddress: codeAddress, value: value, transfersValue: true,
                            input: input, gas: callGas, isStatic: m.isStatic, depth: m.depth + 1)
        case 0xf2:
            child = Message(kind: .callCode, caller: m.target, target: m.target, codeAddress: codeAddress, value: value,
                            transfersValue: true, input: input, gas: callGas, isStatic: m.isStatic, depth: m.depth + 1)
        case 0xf4:
            child = Message(kind: .delegateCall, caller: m.caller, target: m.target, codeAddress: codeAddress, value: m.value,
                            transfersValue: false, input: input, gas: callGas, isStatic: m.isStatic, depth: m.depth + 1)
        default:
            child = Message(kind: .staticCall, caller: m.target, target: to, codeAddress: codeAddress, value: .zero,
                            transfersValue: true, input: input, gas: callGas, isStatic: true, depth: m.depth + 1)
        }
        child.disablesPrecompiles = delegated
        let result = call(child)
        returnData = result.output
        memory.write(retOffset, min(retSize, result.output.count), from: result.output, sourceOffset: 0)
        gas += result.gasLeft
        stack[sp] = result.isSuccess ? .one : .zero; sp += 1
        return nil
    }

    /// CREATE (0xf0) and CREATE2 (0xf5).
    @inline(never)
    func performCreate(_ isCreate2: Bool, _ m: Message, _ stack: UnsafeMutablePointer<U256>, _ sp: inout Int,
                       _ memory: EVMMemory, _ gas: inout Int, _ returnData: inout [UInt8]) -> HaltReason? {
        let value = stack[sp - 1]
        let codeRegion = region(stack[sp - 2], stack[sp - 3])
        let salt = isCreate2 ? stack[sp - 4] : .zero
        sp -= isCreate2 ? 4 : 3
        guard let (offset, size) = codeRegion else { return .outOfGas }
        guard expandMemory(memory, offset, size, &gas) else { return .outOfGas }
        if size > rules.maxInitCodeSize { return .outOfGas }
        let words = (size + 31) / 32
        let cost = rules.initCodeWordGas * words + (isCreate2 ? rules.keccakWordGas * words : 0)
        if gas < cost { return .outOfGas }
        gas -= cost
        let initCode = memory.bytes(offset, size)
        let creator = m.target
        let address = isCreate2
            ? Self.create2Address(sender: creator, salt: salt, initCodeHash: Keccak.hash256(initCode))
            : Self.createAddress(sender: creator, nonce: state.nonce(creator))
        state.warm(address)
        let childGas = gas - gas / 64
        if Tracer.isEnabled { tracer.opCharged(gasLeft: gas) }
        gas -= childGas
        returnData = []
        if state.balance(creator) < value || state.nonce(creator) == .max || m.depth + 1 > rules.maxCallDepth {
            gas += childGas
            stack[sp] = .zero; sp += 1
            return nil
        }
        if state.hasCollision(address) {
            state.incrementNonce(creator)
            stack[sp] = .zero; sp += 1
            return nil
        }
        state.incrementNonce(creator)
        let child = Message(kind: isCreate2 ? .create2 : .create, caller: creator, target: address, codeAddress: address,
                            value: value, transfersValue: true, input: [], gas: childGas, isStatic: false,
                            depth: m.depth + 1)
        let result = create(child, initCode: initCode)
        gas += result.gasLeft
        if result.isSuccess {
            stack[sp] = U256(address: address)
        } else {
            returnData = result.output
            stack[sp] = .zero
        }
        sp += 1
        return nil
    }
}
