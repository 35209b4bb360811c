// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title L2ToL1MessagePasser
/// @notice L2 predeploy at 0x4200…0016 of every Seed chain (rollup-lite SPEC §10.3, OP's contract of the same
/// name): records the hash of each L2 → L1 withdrawal in `sentMessages`, whose storage root every output root
/// commits to, so SeedPortal can check a withdrawal with a storage proof. Lives in the genesis alloc: runtime
/// code only, no constructor, no immutables.
contract L2ToL1MessagePasser {
    /// @notice The nonce's version, in its top 16 bits (OP's Encoding.encodeVersionedNonce, version 1).
    uint16 public constant MESSAGE_VERSION = 1;
    /// @notice Gas the L1 relay gives a withdrawal made by sending ETH here (OP's RECEIVE_DEFAULT_GAS_LIMIT).
    uint256 public constant RECEIVE_DEFAULT_GAS_LIMIT = 100_000;

    /// @notice Storage slot 0 (SENT_MESSAGES_SLOT): what the L1 proof shows is `true`.
    mapping(bytes32 withdrawalHash => bool) public sentMessages;
    /// @dev Slot 1: withdrawals made so far.
    uint240 internal msgNonce;

    event MessagePassed(
        uint256 indexed nonce,
        address indexed sender,
        address indexed target,
        uint256 value,
        uint256 gasLimit,
        bytes data,
        bytes32 withdrawalHash
    );

    /// @notice Sending ETH here withdraws it to the same address on L1 (as OP).
    receive() external payable {
        initiateWithdrawal(msg.sender, RECEIVE_DEFAULT_GAS_LIMIT, "");
    }

    /// @notice Sends `msg.value` and a call of `target` with `data` and `gasLimit` to L1, paid out by the portal
    /// once proven and past the challenge window. The value is burnt here: it exists again only on L1.
    function initiateWithdrawal(address target, uint256 gasLimit, bytes memory data) public payable {
        uint256 nonce = messageNonce();
        bytes32 withdrawalHash = keccak256(abi.encode(nonce, msg.sender, target, msg.value, gasLimit, data));
        sentMessages[withdrawalHash] = true;
        emit MessagePassed(nonce, msg.sender, target, msg.value, gasLimit, data, withdrawalHash);
        unchecked {
            ++msgNonce;
        }
        if (msg.value > 0) _burn(msg.value);
    }

    /// @notice The nonce of the next withdrawal: `msgNonce | (MESSAGE_VERSION << 240)`.
    function messageNonce() public view returns (uint256) {
        return uint256(msgNonce) | (uint256(MESSAGE_VERSION) << 240);
    }

    /// @dev Creates a contract holding `amount` whose init code (ADDRESS SELFDESTRUCT) destroys it in the same
    /// transaction, so under EIP-6780 the ETH leaves the chain's supply (OP's Burn.eth, without a Solidity
    /// selfdestruct).
    function _burn(uint256 amount) private {
        assembly ("memory-safe") {
            mstore(0, 0x30ff)
            if iszero(create(amount, 30, 2)) { revert(0, 0) }
        }
    }
}
