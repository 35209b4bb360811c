// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BaseAccount} from "@account-abstraction/contracts/core/BaseAccount.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {SIG_VALIDATION_FAILED, _packValidationData} from "@account-abstraction/contracts/core/Helpers.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title SeedAccount: the agent's ERC-4337 (EntryPoint v0.7) smart account.
/// @notice One owner key plus scoped session keys. A session key may only sign user operations that call
/// `executeAsSession(itself, calls)`; the scope (targets, selectors, ETH and ERC-20 limits per period,
/// validity window) is enforced on-chain when the calls execute, so a leaked session key cannot exceed it.
/// ERC-1271 signatures are owner-only and bound to this account (EIP-712 wrapper), never to session keys:
/// a session-key signature could otherwise spend tokens through permit/EIP-3009 around the limits.
contract SeedAccount is BaseAccount, Initializable, EIP712, IERC1271 {
    struct Call {
        address target;
        uint256 value;
        bytes data;
    }

    /// selector 0x00000000 = plain ETH transfer (empty calldata); ANY_SELECTOR = any function of `target`.
    struct Permission {
        address target;
        bytes4 selector;
    }

    struct TokenLimit {
        address token;
        uint256 limit;
    }

    struct SessionConfig {
        uint48 validAfter;
        uint48 validUntil; // 0 = no expiry
        uint48 period; // seconds; 0 = the limits apply to the whole session
        uint256 valueLimit; // wei per period
        Permission[] permissions;
        TokenLimit[] tokenLimits; // token units per period (transfer and approve amounts)
    }

    struct Session {
        uint64 id; // 0 = none; ids are never reused, so revoking drops all per-session state at once
        uint48 validAfter;
        uint48 validUntil;
        uint48 period;
    }

    struct Allowance {
        bool set;
        uint48 periodStart;
        uint256 limit;
        uint256 spent;
    }

    bytes4 public constant ANY_SELECTOR = 0xffffffff;
    bytes4 private constant TRANSFER = 0xa9059cbb; // transfer(address,uint256)
    bytes4 private constant APPROVE = 0x095ea7b3; // approve(address,uint256)
    bytes4 private constant TRANSFER_FROM = 0x23b872dd; // transferFrom(address,address,uint256)
    bytes32 private constant SEED_MESSAGE_TYPEHASH = keccak256("SeedMessage(bytes32 hash)");

    IEntryPoint private immutable _entryPoint;
    address public owner;
    uint64 public sessionCount;
    mapping(address key => Session) public sessions;
    mapping(uint64 id => mapping(address target => mapping(bytes4 selector => bool))) private _allowed;
    mapping(uint64 id => Allowance) private _valueAllowance;
    mapping(uint64 id => mapping(address token => Allowance)) private _tokenAllowance;
    /// Paymasters a session-key op may name (owner-chosen). A token paymaster would otherwise let a leaked key
    /// burn the account's tokens on gas, outside the session's token limits.
    mapping(address paymaster => bool) public sessionPaymasters;

    event OwnerChanged(address indexed previousOwner, address indexed newOwner);
    event SessionKeyGranted(address indexed key, uint64 indexed id, uint48 validUntil);
    event SessionKeyRevoked(address indexed key, uint64 indexed id);
    event SessionPaymasterSet(address indexed paymaster, bool allowed);

    error NotAuthorized();
    error InvalidSessionKey();
    error SessionNotActive(address key);
    error CallNotAllowed(address target, bytes4 selector);
    error ValueLimitExceeded(uint256 spent, uint256 limit);
    error TokenLimitExceeded(address token, uint256 spent, uint256 limit);
    error TokenLimitMissing(address token);

    constructor(IEntryPoint anEntryPoint) EIP712("SeedAccount", "1") {
        _entryPoint = anEntryPoint;
        _disableInitializers();
    }

    function initialize(address anOwner) external initializer {
        owner = anOwner;
        emit OwnerChanged(address(0), anOwner);
    }

    receive() external payable {}

    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    /// Owner-signed user ops reach here through the EntryPoint (session keys cannot: validation pins them
    /// to executeAsSession); the owner EOA and the account itself may also call directly.
    modifier onlyOwnerAuthority() {
        if (msg.sender != address(_entryPoint) && msg.sender != owner && msg.sender != address(this)) {
            revert NotAuthorized();
        }
        _;
    }

    // ---- execution ----

    function execute(address target, uint256 value, bytes calldata data) external onlyOwnerAuthority {
        _call(target, value, data);
    }

    function executeBatch(Call[] calldata calls) external onlyOwnerAuthority {
        for (uint256 i = 0; i < calls.length; i++) {
            _call(calls[i].target, calls[i].value, calls[i].data);
        }
    }

    /// @notice Runs `calls` under the scope of session `key`; reverts the whole batch on any breach.
    function executeAsSession(address key, Call[] calldata calls) external {
        _requireFromEntryPoint();
        Session memory s = sessions[key];
        if (s.id == 0 || block.timestamp < s.validAfter || (s.validUntil != 0 && block.timestamp > s.validUntil)) {
            revert SessionNotActive(key);
        }
        for (uint256 i = 0; i < calls.length; i++) {
            Call calldata c = calls[i];
            bytes4 selector = c.data.length >= 4 ? bytes4(c.data[:4]) : bytes4(0);
            if (!_inScope(s.id, c.target, selector)) revert CallNotAllowed(c.target, selector);
            if (c.value > 0) {
                Allowance storage a = _valueAllowance[s.id];
                _spend(a, s.period, c.value);
                if (a.spent > a.limit) revert ValueLimitExceeded(a.spent, a.limit);
            }
            if (selector == TRANSFER || selector == APPROVE || selector == TRANSFER_FROM) {
                Allowance storage t = _tokenAllowance[s.id][c.target];
                if (!t.set) revert TokenLimitMissing(c.target);
                // transfer/approve: (address, amount); transferFrom: (from, to, amount)
                uint256 amount = selector == TRANSFER_FROM
                    ? abi.decode(c.data[68:100], (uint256))
                    : abi.decode(c.data[36:68], (uint256));
                _spend(t, s.period, amount);
                if (t.spent > t.limit) revert TokenLimitExceeded(c.target, t.spent, t.limit);
            }
            _call(c.target, c.value, c.data);
        }
    }

    function _spend(Allowance storage a, uint48 period, uint256 amount) private {
        if (period != 0 && block.timestamp >= uint256(a.periodStart) + period) {
            a.periodStart = uint48(block.timestamp);
            a.spent = 0;
        }
        a.spent += amount;
    }

    function _call(address target, uint256 value, bytes memory data) private {
        (bool success, bytes memory result) = target.call{value: value}(data);
        if (!success) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }

    // ---- validation ----

    /// Session-key ops never draw gas from the account's own funds: the prefund must already sit in the
    /// account's EntryPoint deposit (a gas budget the owner chose) or come from a paymaster the owner allowed
    /// for sessions. Otherwise a leaked session key could burn ETH through gas fees paid to a bundler of its
    /// choice, or tokens through a token paymaster, outside the session's limits.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        override
        returns (uint256 validationData)
    {
        _requireFromEntryPoint();
        validationData = _validateSignature(userOp, userOpHash);
        _validateNonce(userOp.nonce);
        if (_isSessionOp(userOp.callData) && !_sessionGasAllowed(userOp, missingAccountFunds)) {
            if (!_signedByOwner(userOp, userOpHash)) return SIG_VALIDATION_FAILED;
        }
        _payPrefund(missingAccountFunds);
    }

    function _sessionGasAllowed(PackedUserOperation calldata userOp, uint256 missingAccountFunds)
        private
        view
        returns (bool)
    {
        bytes calldata paymasterAndData = userOp.paymasterAndData;
        if (paymasterAndData.length >= 20) return sessionPaymasters[address(bytes20(paymasterAndData[:20]))];
        return missingAccountFunds == 0;
    }

    function _isSessionOp(bytes calldata callData) private pure returns (bool) {
        return callData.length >= 36 && bytes4(callData[:4]) == this.executeAsSession.selector;
    }

    function _signedByOwner(PackedUserOperation calldata userOp, bytes32 userOpHash) private view returns (bool) {
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(userOpHash), userOp.signature);
        return err == ECDSA.RecoverError.NoError && signer == owner;
    }

    function _validateSignature(PackedUserOperation calldata userOp, bytes32 userOpHash)
        internal
        view
        override
        returns (uint256)
    {
        bytes calldata callData = userOp.callData;
        bool asSession = callData.length >= 36 && bytes4(callData[:4]) == this.executeAsSession.selector;
        Session memory s;
        if (asSession) {
            // Scope first, signature last: the bundler's estimate (stub signature) then walks the same path
            // as the real op. Out-of-scope calls fail validation, so a leaked key can't even burn gas on them.
            (address key, Call[] memory calls) = abi.decode(callData[4:], (address, Call[]));
            s = sessions[key];
            if (s.id == 0) return SIG_VALIDATION_FAILED;
            for (uint256 i = 0; i < calls.length; i++) {
                if (!_inScope(s.id, calls[i].target, _selector(calls[i].data))) return SIG_VALIDATION_FAILED;
            }
            (address signer, ECDSA.RecoverError err,) =
                ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(userOpHash), userOp.signature);
            if (err != ECDSA.RecoverError.NoError) return SIG_VALIDATION_FAILED;
            if (signer == owner) return 0;
            if (signer != key) return SIG_VALIDATION_FAILED;
            return _packValidationData(false, s.validUntil, s.validAfter);
        }
        // Anything else (execute, executeBatch, administration) is owner-only.
        (address ownerSigner, ECDSA.RecoverError ownerErr,) =
            ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(userOpHash), userOp.signature);
        return ownerErr == ECDSA.RecoverError.NoError && ownerSigner == owner ? 0 : SIG_VALIDATION_FAILED;
    }

    function _selector(bytes memory data) private pure returns (bytes4 selector) {
        if (data.length < 4) return bytes4(0);
        assembly ("memory-safe") {
            selector := mload(add(data, 32))
        }
    }

    function _inScope(uint64 id, address target, bytes4 selector) private view returns (bool) {
        return target != address(this) && (_allowed[id][target][selector] || _allowed[id][target][ANY_SELECTOR]);
    }

    // ---- owner administration ----

    function transferOwnership(address newOwner) external onlyOwnerAuthority {
        if (newOwner == address(0)) revert NotAuthorized();
        emit OwnerChanged(owner, newOwner);
        owner = newOwner;
    }

    function grantSessionKey(address key, SessionConfig calldata config) external onlyOwnerAuthority {
        if (key == address(0) || key == owner) revert InvalidSessionKey();
        uint64 id = ++sessionCount;
        sessions[key] = Session(id, config.validAfter, config.validUntil, config.period);
        for (uint256 i = 0; i < config.permissions.length; i++) {
            _allowed[id][config.permissions[i].target][config.permissions[i].selector] = true;
        }
        _valueAllowance[id] = Allowance(true, uint48(block.timestamp), config.valueLimit, 0);
        for (uint256 i = 0; i < config.tokenLimits.length; i++) {
            _tokenAllowance[id][config.tokenLimits[i].token] =
                Allowance(true, uint48(block.timestamp), config.tokenLimits[i].limit, 0);
        }
        emit SessionKeyGranted(key, id, config.validUntil);
    }

    function revokeSessionKey(address key) external onlyOwnerAuthority {
        uint64 id = sessions[key].id;
        if (id == 0) revert SessionNotActive(key);
        delete sessions[key];
        emit SessionKeyRevoked(key, id);
    }

    /// @notice Lets session-key ops name `paymaster` (e.g. a sponsor that signs each op), or stops them.
    function setSessionPaymaster(address paymaster, bool allowed) external onlyOwnerAuthority {
        sessionPaymasters[paymaster] = allowed;
        emit SessionPaymasterSet(paymaster, allowed);
    }

    /// @notice Spent and limit in the current period (spent resets lazily, so report 0 once a period ended).
    function sessionAllowance(address key, address token) external view returns (uint256 spent, uint256 limit) {
        Session memory s = sessions[key];
        Allowance memory a = token == address(0) ? _valueAllowance[s.id] : _tokenAllowance[s.id][token];
        bool expired = s.period != 0 && block.timestamp >= uint256(a.periodStart) + s.period;
        return (expired ? 0 : a.spent, a.limit);
    }

    function isAllowed(address key, address target, bytes4 selector) external view returns (bool) {
        uint64 id = sessions[key].id;
        return id != 0 && (_allowed[id][target][selector] || _allowed[id][target][ANY_SELECTOR]);
    }

    // ---- ERC-1271 ----

    /// @notice The digest the owner signs for `hash`: bound to this account and chain (no cross-account replay).
    function replaySafeHash(bytes32 hash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SEED_MESSAGE_TYPEHASH, hash)));
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(replaySafeHash(hash), signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? this.isValidSignature.selector : bytes4(0xffffffff);
    }

    // ---- deposit helpers ----

    function getDeposit() external view returns (uint256) {
        return _entryPoint.balanceOf(address(this));
    }

    function addDeposit() external payable {
        _entryPoint.depositTo{value: msg.value}(address(this));
    }
}
