// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IForceWindow} from "./IForceWindow.sol";
import {SecureMerkleTrie} from "@eth-optimism/contracts-bedrock/src/libraries/trie/SecureMerkleTrie.sol";

/// @notice What the portal reads from and asks of an agent's RollupInbox.
interface IBridgedInbox {
    function outputAt(uint256 index) external view returns (bytes32 outputRoot, uint64 l1Timestamp);
    function rollBackTo(uint256 index) external;
}

/// @notice The RollupInboxFactory's registry: a non-zero chain id marks an inbox it created.
interface IInboxRegistry {
    function chainIdOf(address inbox) external view returns (uint256);
}

/// @title SeedPortal
/// @notice The L1 side of every Seed agent chain's bridge (docs/decisions/0700), keyed by the chain's
/// RollupInbox: deposits (OP's `TransactionDeposited` with the inbox added), output challenges with bonds
/// resolved by the chain's guardians (Stage 0), and withdrawals proven with an MPT storage proof against a
/// posted output root and finalized after the challenge window. Ownerless; created by the RollupInboxFactory,
/// which is the only source of inboxes it serves. ETH is escrowed per inbox: one chain never pays out
/// another's funds.
contract SeedPortal is EIP712, IForceWindow {
    /// @notice Per-chain settings, registered once by the inbox owner and immutable afterwards.
    /// @custom:field guardians Stage 0 resolvers, strictly ascending addresses.
    /// @custom:field threshold Guardian signatures a resolution needs.
    /// @custom:field challengeWindow Seconds after an output's L1 timestamp during which it can be challenged.
    /// @custom:field forceWindow Seconds without a sequencer post after which anyone may post batches.
    /// @custom:field challengeBond Wei a challenger puts up (and the proposer's bond must cover as the reward).
    /// @custom:field maxDepositGasPerBlock L2 gas all deposits of one L1 block may buy together.
    struct BridgeConfig {
        address[] guardians;
        uint64 threshold;
        uint64 challengeWindow;
        uint64 forceWindow;
        uint64 maxDepositGasPerBlock;
        uint256 challengeBond;
    }

    /// @notice An L2 → L1 message as the L2ToL1MessagePasser hashed it.
    struct WithdrawalTransaction {
        uint256 nonce;
        address sender;
        address target;
        uint256 value;
        uint256 gasLimit;
        bytes data;
    }

    /// @notice The preimage of an output root (rollup-lite SPEC §6, OP's version 0).
    struct OutputRootProof {
        bytes32 stateRoot;
        bytes32 messagePasserStorageRoot;
        bytes32 blockHash;
    }

    /// @notice Which output a withdrawal was proven against: a rolled-back output never matches again,
    /// because a re-post at the same index has a later L1 timestamp.
    struct ProvenWithdrawal {
        bytes32 outputRoot;
        uint64 index;
        uint64 postedAt;
        uint64 provenAt;
    }

    enum ChallengeStatus {
        None,
        Pending,
        Valid,
        Invalid
    }

    struct Challenge {
        address challenger;
        ChallengeStatus status;
    }

    struct DepositGasUsed {
        uint64 l1Block;
        uint64 used;
    }

    /// @notice Guardians per chain, at most (a resolution checks each signature against the set).
    uint256 public constant MAX_GUARDIANS = 16;
    /// @notice Ceiling of `maxDepositGasPerBlock`: a third of rollup-lite's 60M block gas limit, so the deposits
    /// of an L1 block always fit the L2 block that moves its origin past them, with room for the sequencer's txs.
    uint64 public constant MAX_DEPOSIT_GAS_PER_L1_BLOCK = 20_000_000;
    /// @notice Largest deposit calldata (OP's bound): the L2 must replay it, and it travels in the event.
    uint256 public constant MAX_DEPOSIT_DATA = 120_000;
    /// @notice The L2 gas a deposit buys is priced at rollup-lite's initial base fee and paid by burning the L1
    /// gas worth as much at this block's base fee (OP's resource metering at its minimum price).
    uint256 public constant DEPOSIT_GAS_PRICE = 1 gwei;
    /// @notice Gas kept back above a withdrawal's gas limit when relaying it, so the portal's own work after
    /// the call always completes (OP's RECEIVE_DEFAULT_GAS_LIMIT-style buffer).
    uint256 public constant RELAY_GAS_BUFFER = 40_000;
    uint160 private constant ALIAS_OFFSET = uint160(0x1111000000000000000000000000000000001111);
    bytes32 private constant RESOLUTION_TYPEHASH =
        keccak256("Resolution(address inbox,uint256 index,bytes32 outputRoot,uint64 postedAt,bool valid)");

    /// @notice The RollupInboxFactory that created this portal: the registry of the inboxes it serves.
    address public immutable FACTORY;

    mapping(address inbox => BridgeConfig) private _configs;
    /// @notice Deposits made to each chain so far: the next deposit's nonce.
    mapping(address inbox => uint256) public depositNonce;
    /// @notice ETH each chain holds on L1: deposits in, withdrawals out.
    mapping(address inbox => uint256) public ethEscrow;
    /// @notice What pays challengers who prove an output of this chain invalid.
    mapping(address inbox => uint256) public proposerBond;
    /// @notice Bond payouts waiting to be pulled with `withdrawBondCredit` (never pushed).
    mapping(address account => uint256) public bondCredit;
    mapping(address inbox => DepositGasUsed) private _depositGas;
    mapping(bytes32 outputKey => Challenge) private _challenges;
    mapping(address inbox => mapping(bytes32 withdrawalHash => ProvenWithdrawal)) private _proven;
    mapping(address inbox => mapping(bytes32 withdrawalHash => bool)) public finalizedWithdrawals;

    /// @dev The withdrawal being relayed, for the call's target to read (zero outside a relay).
    address private transient _l2Sender;
    address private transient _relayingInbox;

    event BridgeConfigRegistered(address indexed inbox, BridgeConfig config, uint256 proposerBond);
    event ProposerBondAdded(address indexed inbox, address indexed from, uint256 amount);
    event TransactionDeposited(
        address indexed inbox, address indexed from, address indexed to, uint256 nonce, bytes opaqueData
    );
    event OutputChallenged(
        address indexed inbox, uint256 indexed index, bytes32 outputRoot, uint64 postedAt, address challenger
    );
    event ChallengeResolved(address indexed inbox, uint256 indexed index, bytes32 outputRoot, bool valid);
    event ChallengeOrphaned(address indexed inbox, uint256 indexed index, bytes32 outputRoot, address challenger);
    event WithdrawalProven(address indexed inbox, bytes32 indexed withdrawalHash, uint256 index);
    event WithdrawalFinalized(address indexed inbox, bytes32 indexed withdrawalHash, bool success);
    event BondCreditWithdrawn(address indexed account, uint256 amount);

    error UnknownInbox(address inbox);
    error NotInboxOwner(address caller);
    error ConfigExists(address inbox);
    error NoConfig(address inbox);
    error BadConfig(string reason);
    error BadCreation();
    error DepositDataTooLarge(uint256 size);
    error GasLimitTooLow(uint64 gasLimit, uint64 minimum);
    error DepositGasExhausted(uint64 available, uint64 requested);
    error NoSuchOutput(address inbox, uint256 index);
    error ChallengeWindowClosed(uint64 closedAt);
    error ChallengeWindowOpen(uint64 closesAt);
    error WrongBond(uint256 required, uint256 given);
    error AlreadyChallenged(ChallengeStatus status);
    error NotChallenged();
    error OutputStillCurrent();
    error BadSignatures();
    error OutputRootMismatch(bytes32 expected, bytes32 given);
    error BadTarget(address target);
    error InvalidWithdrawalProof();
    error AlreadyProven(bytes32 withdrawalHash);
    error NotProven(bytes32 withdrawalHash);
    error AlreadyFinalized(bytes32 withdrawalHash);
    error OutputInvalidated(uint256 index);
    error OutputUnderChallenge(uint256 index);
    error InsufficientEscrow(uint256 available, uint256 requested);
    error InsufficientGas();
    error Reentrant();
    error TransferFailed();

    constructor() EIP712("SeedPortal", "1") {
        FACTORY = msg.sender;
    }

    // ─── config ────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Registers the chain's bridge config, once, as the inbox owner; `msg.value` (at least the
    /// challenge bond) becomes the proposer's bond, which pays the challenger of an invalid output.
    function registerConfig(address inbox, BridgeConfig calldata config) external payable {
        if (IInboxRegistry(FACTORY).chainIdOf(inbox) == 0) revert UnknownInbox(inbox);
        if (msg.sender != Ownable(inbox).owner()) revert NotInboxOwner(msg.sender);
        if (_configs[inbox].threshold != 0) revert ConfigExists(inbox);
        _checkConfig(config);
        if (msg.value < config.challengeBond) revert WrongBond(config.challengeBond, msg.value);
        _configs[inbox] = config;
        proposerBond[inbox] = msg.value;
        emit BridgeConfigRegistered(inbox, config, msg.value);
    }

    /// @notice Tops up the proposer's bond of a chain (anyone may).
    function addProposerBond(address inbox) external payable {
        _config(inbox);
        proposerBond[inbox] += msg.value;
        emit ProposerBondAdded(inbox, msg.sender, msg.value);
    }

    function configOf(address inbox) external view returns (BridgeConfig memory) {
        return _configs[inbox];
    }

    function forceWindowOf(address inbox) external view returns (uint64) {
        return _configs[inbox].forceWindow;
    }

    // ─── deposits ──────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Deposits a transaction into the chain of `inbox`: on L2, `from` is minted `msg.value` and then
    /// calls `to` with `value` and `gasLimit`. The L2 gas is bought here by burning L1 gas.
    function depositTransaction(
        address inbox,
        address to,
        uint256 value,
        uint64 gasLimit,
        bool isCreation,
        bytes calldata data
    ) external payable {
        BridgeConfig storage config = _config(inbox);
        if (isCreation && to != address(0)) revert BadCreation();
        if (data.length > MAX_DEPOSIT_DATA) revert DepositDataTooLarge(data.length);
        uint64 minimum = minimumGasLimit(uint64(data.length));
        if (gasLimit < minimum) revert GasLimitTooLow(gasLimit, minimum);
        _useDepositGas(inbox, config.maxDepositGasPerBlock, gasLimit);

        ethEscrow[inbox] += msg.value;
        // A contract's address may belong to someone else on L2: its deposits come from the aliased address (OP).
        address from = msg.sender == tx.origin ? msg.sender : applyAlias(msg.sender);
        uint256 nonce = depositNonce[inbox]++;
        emit TransactionDeposited(
            inbox, from, to, nonce, abi.encodePacked(msg.value, value, gasLimit, isCreation, data)
        );
        _burnGas(uint256(gasLimit) * DEPOSIT_GAS_PRICE / (block.basefee > 1 gwei ? block.basefee : 1 gwei));
    }

    /// @notice The least L2 gas a deposit must buy: the intrinsic 21,000 plus 40 per calldata byte (OP's rule).
    function minimumGasLimit(uint64 dataLength) public pure returns (uint64) {
        return 21_000 + dataLength * 40;
    }

    /// @notice L2 gas still available to deposits of `inbox` in this L1 block.
    function depositGasAvailable(address inbox) external view returns (uint64) {
        DepositGasUsed memory used = _depositGas[inbox];
        uint64 max = _configs[inbox].maxDepositGasPerBlock;
        return used.l1Block == block.number ? max - used.used : max;
    }

    function applyAlias(address l1Address) public pure returns (address) {
        unchecked {
            return address(uint160(l1Address) + ALIAS_OFFSET);
        }
    }

    // ─── outputs and challenges ────────────────────────────────────────────────────────────────────────────

    /// @notice Challenges output `index` of `inbox` during its window, with exactly the chain's bond.
    function challengeOutput(address inbox, uint256 index) external payable {
        BridgeConfig storage config = _config(inbox);
        (bytes32 outputRoot, uint64 postedAt) = _output(inbox, index);
        uint64 closesAt = postedAt + config.challengeWindow;
        if (block.timestamp >= closesAt) revert ChallengeWindowClosed(closesAt);
        if (msg.value != config.challengeBond) revert WrongBond(config.challengeBond, msg.value);
        Challenge storage c = _challenges[outputKey(inbox, index, outputRoot, postedAt)];
        if (c.status != ChallengeStatus.None) revert AlreadyChallenged(c.status);
        (c.challenger, c.status) = (msg.sender, ChallengeStatus.Pending);
        emit OutputChallenged(inbox, index, outputRoot, postedAt, msg.sender);
    }

    /// @notice Resolves the pending challenge of output `index` with `threshold` guardian signatures (EIP-712
    /// `Resolution`, signers strictly ascending). Invalid: the output and every later one are rolled back and
    /// the challenger is credited its bond plus a reward from the proposer's bond. Valid: the challenger's bond
    /// is credited to the inbox owner.
    function resolveChallenge(address inbox, uint256 index, bool valid, bytes[] calldata signatures) external {
        BridgeConfig storage config = _config(inbox);
        (bytes32 outputRoot, uint64 postedAt) = _output(inbox, index);
        Challenge storage c = _challenges[outputKey(inbox, index, outputRoot, postedAt)];
        if (c.status != ChallengeStatus.Pending) revert NotChallenged();
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(RESOLUTION_TYPEHASH, inbox, index, outputRoot, postedAt, valid))
        );
        _checkGuardianSignatures(config, digest, signatures);

        uint256 bond = config.challengeBond;
        if (valid) {
            c.status = ChallengeStatus.Valid;
            bondCredit[Ownable(inbox).owner()] += bond;
        } else {
            c.status = ChallengeStatus.Invalid;
            uint256 reward = proposerBond[inbox] < bond ? proposerBond[inbox] : bond;
            proposerBond[inbox] -= reward;
            bondCredit[c.challenger] += bond + reward;
            IBridgedInbox(inbox).rollBackTo(index);
        }
        emit ChallengeResolved(inbox, index, outputRoot, valid);
    }

    /// @notice Returns the bond of a pending challenge whose output was rolled back by an earlier one's
    /// resolution (nothing is left to resolve): the challenger was right, or at least not wrong.
    function reclaimOrphanedChallenge(address inbox, uint256 index, bytes32 outputRoot, uint64 postedAt) external {
        BridgeConfig storage config = _config(inbox);
        Challenge storage c = _challenges[outputKey(inbox, index, outputRoot, postedAt)];
        if (c.status != ChallengeStatus.Pending) revert NotChallenged();
        if (_isCurrent(inbox, index, outputRoot, postedAt)) revert OutputStillCurrent();
        c.status = ChallengeStatus.Invalid;
        bondCredit[c.challenger] += config.challengeBond;
        emit ChallengeOrphaned(inbox, index, outputRoot, c.challenger);
    }

    /// @notice The challenge of output `index` as it stands now.
    function challengeOf(address inbox, uint256 index) external view returns (Challenge memory) {
        (bytes32 outputRoot, uint64 postedAt) = IBridgedInbox(inbox).outputAt(index);
        return _challenges[outputKey(inbox, index, outputRoot, postedAt)];
    }

    /// @notice Pays out the caller's bond credit.
    function withdrawBondCredit() external {
        uint256 amount = bondCredit[msg.sender];
        bondCredit[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
        emit BondCreditWithdrawn(msg.sender, amount);
    }

    /// @notice Identifies one posting of an output: a re-post at the same index after a rollback is another.
    function outputKey(address inbox, uint256 index, bytes32 outputRoot, uint64 postedAt)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(inbox, index, outputRoot, postedAt));
    }

    // ─── withdrawals ───────────────────────────────────────────────────────────────────────────────────────

    /// @notice Proves that the chain of `inbox` sent withdrawal `w`: `outputProof` is the preimage of output
    /// `index`, and `storageProof` an MPT proof of `sentMessages[hash] = true` in the message passer's storage.
    function proveWithdrawal(
        address inbox,
        WithdrawalTransaction calldata w,
        uint256 index,
        OutputRootProof calldata outputProof,
        bytes[] calldata storageProof
    ) external {
        _config(inbox);
        _checkTarget(w.target);
        (bytes32 outputRoot, uint64 postedAt) = _output(inbox, index);
        bytes32 claimed = hashOutputRootProof(outputProof);
        if (claimed != outputRoot) revert OutputRootMismatch(outputRoot, claimed);
        bytes32 withdrawalHash = hashWithdrawal(w);
        if (finalizedWithdrawals[inbox][withdrawalHash]) revert AlreadyFinalized(withdrawalHash);
        ProvenWithdrawal storage proven = _proven[inbox][withdrawalHash];
        // A proof stands while its output does; only a rolled-back output frees the withdrawal for a new proof.
        if (proven.provenAt != 0 && _isCurrent(inbox, proven.index, proven.outputRoot, proven.postedAt)) {
            revert AlreadyProven(withdrawalHash);
        }
        bytes32 slot = keccak256(abi.encode(withdrawalHash, uint256(0)));
        if (
            !SecureMerkleTrie.verifyInclusionProof(
                abi.encode(slot), hex"01", storageProof, outputProof.messagePasserStorageRoot
            )
        ) revert InvalidWithdrawalProof();
        _proven[inbox][withdrawalHash] =
            ProvenWithdrawal(outputRoot, uint64(index), postedAt, uint64(block.timestamp));
        emit WithdrawalProven(inbox, withdrawalHash, index);
    }

    /// @notice Relays a proven withdrawal once its output's challenge window has passed unchallenged (or
    /// resolved valid): pays `value` from the chain's escrow and calls `target` with `gasLimit`. A failing call
    /// still finalizes (OP's rule: no replays), and its value stays in the chain's escrow.
    function finalizeWithdrawal(address inbox, WithdrawalTransaction calldata w) external {
        if (_l2Sender != address(0)) revert Reentrant();
        BridgeConfig storage config = _config(inbox);
        bytes32 withdrawalHash = hashWithdrawal(w);
        if (finalizedWithdrawals[inbox][withdrawalHash]) revert AlreadyFinalized(withdrawalHash);
        ProvenWithdrawal memory proven = _proven[inbox][withdrawalHash];
        if (proven.provenAt == 0) revert NotProven(withdrawalHash);
        if (!_isCurrent(inbox, proven.index, proven.outputRoot, proven.postedAt)) {
            revert OutputInvalidated(proven.index);
        }
        uint64 closesAt = proven.postedAt + config.challengeWindow;
        if (block.timestamp < closesAt) revert ChallengeWindowOpen(closesAt);
        bytes32 key = outputKey(inbox, proven.index, proven.outputRoot, proven.postedAt);
        if (_challenges[key].status == ChallengeStatus.Pending) revert OutputUnderChallenge(proven.index);
        uint256 escrow = ethEscrow[inbox];
        if (w.value > escrow) revert InsufficientEscrow(escrow, w.value);

        finalizedWithdrawals[inbox][withdrawalHash] = true;
        ethEscrow[inbox] = escrow - w.value;
        // EIP-150 passes at most 63/64 of what is left: without this check a relayer could starve the call.
        if (gasleft() < w.gasLimit * 64 / 63 + RELAY_GAS_BUFFER) revert InsufficientGas();
        (_l2Sender, _relayingInbox) = (w.sender, inbox);
        bool success = _callWithoutReturnData(w.target, w.gasLimit, w.value, w.data);
        (_l2Sender, _relayingInbox) = (address(0), address(0));
        if (!success) ethEscrow[inbox] += w.value;
        emit WithdrawalFinalized(inbox, withdrawalHash, success);
    }

    /// @notice The L2 sender of the withdrawal being relayed (zero outside a relay).
    function l2Sender() external view returns (address) {
        return _l2Sender;
    }

    /// @notice The chain whose withdrawal is being relayed (zero outside a relay).
    function relayingInbox() external view returns (address) {
        return _relayingInbox;
    }

    function provenWithdrawal(address inbox, bytes32 withdrawalHash) external view returns (ProvenWithdrawal memory) {
        return _proven[inbox][withdrawalHash];
    }

    function hashWithdrawal(WithdrawalTransaction calldata w) public pure returns (bytes32) {
        return keccak256(abi.encode(w.nonce, w.sender, w.target, w.value, w.gasLimit, w.data));
    }

    function hashOutputRootProof(OutputRootProof calldata p) public pure returns (bytes32) {
        return keccak256(abi.encode(bytes32(0), p.stateRoot, p.messagePasserStorageRoot, p.blockHash));
    }

    /// @notice The EIP-712 domain separator guardians sign resolutions under.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ─── internals ─────────────────────────────────────────────────────────────────────────────────────────

    function _config(address inbox) private view returns (BridgeConfig storage config) {
        config = _configs[inbox];
        if (config.threshold == 0) revert NoConfig(inbox);
    }

    function _output(address inbox, uint256 index) private view returns (bytes32 outputRoot, uint64 postedAt) {
        (outputRoot, postedAt) = IBridgedInbox(inbox).outputAt(index);
        if (outputRoot == bytes32(0)) revert NoSuchOutput(inbox, index);
    }

    function _isCurrent(address inbox, uint256 index, bytes32 outputRoot, uint64 postedAt)
        private
        view
        returns (bool)
    {
        (bytes32 root, uint64 postedAtNow) = IBridgedInbox(inbox).outputAt(index);
        return root == outputRoot && postedAtNow == postedAt;
    }

    /// @dev The portal relays with its own authority: it must never call itself, the factory, or an inbox (whose
    /// `rollBackTo` obeys the portal), or one chain's withdrawal could roll back any chain's batches.
    function _checkTarget(address target) private view {
        if (target == address(this) || target == FACTORY || IInboxRegistry(FACTORY).chainIdOf(target) != 0) {
            revert BadTarget(target);
        }
    }

    function _checkConfig(BridgeConfig calldata config) private pure {
        uint256 n = config.guardians.length;
        if (n == 0 || n > MAX_GUARDIANS) revert BadConfig("guardians");
        if (config.threshold == 0 || config.threshold > n) revert BadConfig("threshold");
        for (uint256 i; i < n; i++) {
            if (uint160(config.guardians[i]) <= (i == 0 ? 0 : uint160(config.guardians[i - 1]))) {
                revert BadConfig("guardians not strictly ascending");
            }
        }
        if (config.challengeWindow == 0) revert BadConfig("challengeWindow");
        if (config.forceWindow == 0) revert BadConfig("forceWindow");
        if (config.challengeBond == 0) revert BadConfig("challengeBond");
        if (config.maxDepositGasPerBlock < minimumGasLimit(0)) revert BadConfig("maxDepositGasPerBlock");
        if (config.maxDepositGasPerBlock > MAX_DEPOSIT_GAS_PER_L1_BLOCK) revert BadConfig("maxDepositGasPerBlock");
    }

    function _useDepositGas(address inbox, uint64 max, uint64 gasLimit) private {
        DepositGasUsed storage used = _depositGas[inbox];
        if (used.l1Block != block.number) (used.l1Block, used.used) = (uint64(block.number), 0);
        uint64 available = max - used.used;
        if (gasLimit > available) revert DepositGasExhausted(available, gasLimit);
        used.used += gasLimit;
    }

    /// @dev Signers must be distinct guardians, in strictly ascending order (which rules out duplicates).
    function _checkGuardianSignatures(BridgeConfig storage config, bytes32 digest, bytes[] calldata signatures)
        private
        view
    {
        if (signatures.length < config.threshold) revert BadSignatures();
        address previous;
        address[] storage guardians = config.guardians;
        for (uint256 i; i < signatures.length; i++) {
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError || uint160(signer) <= uint160(previous)) revert BadSignatures();
            bool isGuardian;
            for (uint256 j; j < guardians.length && !isGuardian; j++) {
                isGuardian = guardians[j] == signer;
            }
            if (!isGuardian) revert BadSignatures();
            previous = signer;
        }
    }

    /// @dev Burns `amount` gas (OP's Burn.gas): the deposit's L2 gas is paid for in L1 gas nobody receives.
    function _burnGas(uint256 amount) private view {
        uint256 target = gasleft() - amount;
        while (gasleft() > target) {}
    }

    /// @dev A call that copies no return data: a hostile target cannot make the relay pay for a huge one.
    function _callWithoutReturnData(address target, uint256 gasLimit, uint256 value, bytes calldata data)
        private
        returns (bool success)
    {
        bytes memory payload = data;
        assembly ("memory-safe") {
            success := call(gasLimit, target, value, add(payload, 0x20), mload(payload), 0, 0)
        }
    }
}
