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
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title SeedAccount: the agent's ERC-4337 (EntryPoint v0.7) smart account.
/// @notice One owner key plus scoped session keys. A session key may only sign user operations that call
/// `executeAsSession(itself, calls)`; the scope (targets, selectors, ETH and ERC-20 limits per rolling period,
/// validity window) is enforced on-chain when the calls execute, and its gas (fee caps, a rolling gas budget)
/// when the op is validated, so a leaked session key cannot exceed it.
/// Every signature is EIP-712 typed data in this account's domain, recovered with raw ECDSA (no EIP-191 path):
/// user ops sign `SeedUserOperation`, ERC-1271 messages sign `SeedMessage`, so a `personal_sign` by the owner key
/// is never a user-op or 1271 signature. ERC-1271 is owner-only, never session keys: a session-key signature
/// could otherwise spend tokens through permit/EIP-3009 around the limits.
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

    /// What the session's ops may cost the account's EntryPoint deposit. The caps bound every op (paymaster or
    /// not); the budget (wei per period) is charged each op's maximum cost when the deposit pays.
    struct SessionGas {
        uint128 maxFeePerGas;
        uint128 maxPriorityFeePerGas;
        uint128 maxPreVerificationGas;
        uint128 budget;
    }

    struct SessionConfig {
        uint48 validAfter;
        uint48 validUntil; // 0 = no expiry
        uint48 period; // seconds, rolling; 0 = the limits apply to the whole session
        uint256 valueLimit; // wei per period
        Permission[] permissions;
        TokenLimit[] tokenLimits; // token units per period (transfer, approve and transferFrom amounts)
        SessionGas gas;
    }

    struct Session {
        uint64 id; // 0 = none; ids are never reused, so revoking drops all per-session state at once
        uint48 validAfter;
        uint48 validUntil;
        uint48 period;
    }

    /// A rolling limit: at most `limit` within any `period` seconds. Spends sit in 4 buckets of ceil(period/3)
    /// seconds (the current one and the 3 before it); a spend must fit with the sum of all 4, which span at
    /// least a period, and frees up between one period and 4/3 of one later. period 0 = one bucket, forever.
    struct Allowance {
        bool set;
        uint48 epoch; // bucket index of the latest spend
        uint128 limit; // one slot with the two above: validation and every call read it
        uint128[4] spent;
    }

    struct SpenderApproval {
        address token;
        address spender;
    }

    bytes4 public constant ANY_SELECTOR = 0xffffffff;
    bytes4 private constant TRANSFER = 0xa9059cbb; // transfer(address,uint256)
    bytes4 private constant APPROVE = 0x095ea7b3; // approve(address,uint256)
    bytes4 private constant TRANSFER_FROM = 0x23b872dd; // transferFrom(address,address,uint256)
    bytes32 private constant SEED_MESSAGE_TYPEHASH = keccak256("SeedMessage(bytes32 hash)");
    bytes32 private constant SEED_USER_OPERATION_TYPEHASH =
        keccak256("SeedUserOperation(bytes32 userOpHash,address entryPoint,uint48 validAfter,uint48 validUntil)");
    /// Longest validity window of a session op: its validAfter is the clock of the gas budget (validation may
    /// not read the block time), and the EntryPoint holds the block time inside that window.
    uint48 public constant MAX_SESSION_OP_VALIDITY = 10 minutes;
    /// Spenders one session may approve; revocation resets each of these allowances to zero.
    uint256 public constant MAX_SESSION_APPROVALS = 8;

    IEntryPoint private immutable _entryPoint;
    address public owner;
    uint64 public sessionCount;
    mapping(address key => Session) public sessions;
    mapping(uint64 id => mapping(address target => mapping(bytes4 selector => bool))) private _allowed;
    mapping(uint64 id => Allowance) private _valueAllowance;
    mapping(uint64 id => mapping(address token => Allowance)) private _tokenAllowance;
    mapping(uint64 id => SessionGas) private _gasCaps;
    mapping(uint64 id => Allowance) private _gasAllowance;
    mapping(uint64 id => SpenderApproval[]) private _approvals;
    mapping(uint64 id => mapping(address token => mapping(address spender => bool))) private _approved;
    /// Paymasters a session-key op may name (owner-chosen). A token paymaster would otherwise let a leaked key
    /// burn the account's tokens on gas, outside the session's token limits.
    mapping(address paymaster => bool) public sessionPaymasters;

    event OwnerChanged(address indexed previousOwner, address indexed newOwner);
    event SessionKeyGranted(address indexed key, uint64 indexed id, uint48 validUntil);
    event SessionKeyRevoked(address indexed key, uint64 indexed id);
    event SessionApprovalReset(address indexed key, address indexed token, address spender, bool reset);
    event SessionPaymasterSet(address indexed paymaster, bool allowed);

    error NotAuthorized();
    error InvalidSessionKey();
    error SessionNotActive(address key);
    error CallNotAllowed(address target, bytes4 selector);
    error ValueLimitExceeded(uint256 spent, uint256 limit);
    error TokenLimitExceeded(address token, uint256 spent, uint256 limit);
    error TokenLimitMissing(address token);
    error TooManyApprovals(uint256 max);

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
                uint256 spent = _spend(a, s.period, block.timestamp, c.value);
                if (spent > a.limit) revert ValueLimitExceeded(spent, a.limit);
            }
            if (_isTokenCall(selector)) {
                Allowance storage t = _tokenAllowance[s.id][c.target];
                if (!t.set) revert TokenLimitMissing(c.target);
                // transfer/approve: (address, amount); transferFrom: (from, to, amount)
                uint256 amount = selector == TRANSFER_FROM
                    ? abi.decode(c.data[68:100], (uint256))
                    : abi.decode(c.data[36:68], (uint256));
                uint256 spent = _spend(t, s.period, block.timestamp, amount);
                if (spent > t.limit) revert TokenLimitExceeded(c.target, spent, t.limit);
                if (selector == APPROVE) _trackApproval(s.id, c.target, abi.decode(c.data[4:36], (address)));
            }
            _call(c.target, c.value, c.data);
        }
    }

    function _isTokenCall(bytes4 selector) private pure returns (bool) {
        return selector == TRANSFER || selector == APPROVE || selector == TRANSFER_FROM;
    }

    /// Remembers the spenders a session approved, so revocation can take those allowances back.
    function _trackApproval(uint64 id, address token, address spender) private {
        if (_approved[id][token][spender]) return;
        if (_approvals[id].length == MAX_SESSION_APPROVALS) revert TooManyApprovals(MAX_SESSION_APPROVALS);
        _approved[id][token][spender] = true;
        _approvals[id].push(SpenderApproval(token, spender));
    }

    /// Adds `amount` at time `clock` and returns what was spent within the rolling window, this spend included.
    function _spend(Allowance storage a, uint48 period, uint256 clock, uint256 amount) private returns (uint256) {
        uint256 epoch = period == 0 ? 0 : clock / _bucketSeconds(period);
        uint256 latest = a.epoch;
        if (epoch > latest) {
            // Buckets of the epochs since the latest spend held spends older than the window: empty them.
            for (uint256 e = latest + 1; e <= epoch && e <= latest + 4; e++) {
                a.spent[e % 4] = 0;
            }
            a.epoch = uint48(epoch);
        } else {
            epoch = latest; // a clock behind the latest spend (an op's validAfter) counts as that spend's time
        }
        a.spent[epoch % 4] += SafeCast.toUint128(amount);
        return uint256(a.spent[0]) + a.spent[1] + a.spent[2] + a.spent[3];
    }

    /// Spent within the rolling window ending at `clock`, read-only.
    function _windowSpent(Allowance memory a, uint48 period, uint256 clock) private pure returns (uint256 total) {
        uint256 epoch = period == 0 ? 0 : clock / _bucketSeconds(period);
        for (uint256 i = 0; i < 4; i++) {
            // bucket i holds the latest epoch <= a.epoch that is i mod 4 (none if that would be negative)
            uint256 age = (a.epoch + 4 - i) % 4;
            if (age <= a.epoch && a.epoch - age + 4 > epoch) total += a.spent[i];
        }
    }

    function _bucketSeconds(uint48 period) private pure returns (uint256) {
        return (uint256(period) + 2) / 3;
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
    /// account's EntryPoint deposit (charged to the session's gas budget) or come from a paymaster the owner
    /// allowed for sessions. Otherwise a leaked session key could burn ETH through gas fees paid to a bundler of
    /// its choice, or tokens through a token paymaster, outside the session's limits.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        override
        returns (uint256 validationData)
    {
        _requireFromEntryPoint();
        validationData = _validateSignature(userOp, userOpHash);
        _validateNonce(userOp.nonce);
        if (_isSessionOp(userOp.callData) && !_sessionGasAllowed(userOp, missingAccountFunds)) {
            (address signer,,) = _recoverOpSigner(userOp, userOpHash);
            if (signer != owner) return SIG_VALIDATION_FAILED;
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

    /// The EIP-712 digest a user op's signer signs: `SeedUserOperation` in this account's domain (chain and
    /// account bound), never an EIP-191 message, so no `personal_sign` of any bytes is a user-op signature.
    function userOperationDigest(bytes32 userOpHash, uint48 validAfter, uint48 validUntil)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(SEED_USER_OPERATION_TYPEHASH, userOpHash, address(_entryPoint), validAfter, validUntil)
            )
        );
    }

    /// A user-op signature is validAfter (6 bytes) ‖ validUntil (6 bytes) ‖ ECDSA (65 bytes) over
    /// `userOperationDigest`. Anything else recovers to address(0), which is never the owner nor a session key.
    function _recoverOpSigner(PackedUserOperation calldata userOp, bytes32 userOpHash)
        private
        view
        returns (address signer, uint48 validAfter, uint48 validUntil)
    {
        bytes calldata signature = userOp.signature;
        if (signature.length != 77) return (address(0), 0, 0);
        validAfter = uint48(bytes6(signature[:6]));
        validUntil = uint48(bytes6(signature[6:12]));
        (address recovered, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(userOperationDigest(userOpHash, validAfter, validUntil), signature[12:]);
        if (err == ECDSA.RecoverError.NoError) signer = recovered;
    }

    function _validateSignature(PackedUserOperation calldata userOp, bytes32 userOpHash)
        internal
        override
        returns (uint256)
    {
        (address signer, uint48 validAfter, uint48 validUntil) = _recoverOpSigner(userOp, userOpHash);
        bytes calldata callData = userOp.callData;
        if (!_isSessionOp(callData)) {
            // Anything else (execute, executeBatch, administration) is owner-only.
            return signer == owner ? _packValidationData(false, validUntil, validAfter) : SIG_VALIDATION_FAILED;
        }
        // Scope first, gas next, signer last: the bundler's estimate (stub signature) then walks the same path
        // as the real op. Out-of-scope calls fail validation, so a leaked key can't even burn gas on them.
        (address key, Call[] memory calls) = abi.decode(callData[4:], (address, Call[]));
        Session memory s = sessions[key];
        if (s.id == 0) return SIG_VALIDATION_FAILED;
        for (uint256 i = 0; i < calls.length; i++) {
            if (!_inScope(s.id, calls[i].target, _selector(calls[i].data))) return SIG_VALIDATION_FAILED;
        }
        if (signer == owner) return _packValidationData(false, validUntil, validAfter);
        bool gasAllowed = _chargeSessionGas(s, userOp, validAfter, validUntil);
        if (!gasAllowed || signer != key) return SIG_VALIDATION_FAILED;
        uint48 until = s.validUntil != 0 && s.validUntil < validUntil ? s.validUntil : validUntil;
        uint48 after_ = s.validAfter > validAfter ? s.validAfter : validAfter;
        return _packValidationData(false, until, after_);
    }

    /// Fee caps for every session op, and its maximum cost against the session's rolling gas budget when the
    /// account's deposit pays. Validation may not read the block time (ERC-7562), so the budget's clock is the
    /// op's signed validAfter: the EntryPoint keeps the block time within [validAfter, validUntil], which a
    /// session op must keep under MAX_SESSION_OP_VALIDITY.
    function _chargeSessionGas(Session memory s, PackedUserOperation calldata userOp, uint48 validAfter, uint48 validUntil)
        private
        returns (bool)
    {
        SessionGas memory caps = _gasCaps[s.id];
        uint256 gasFees = uint256(userOp.gasFees);
        if (
            uint128(gasFees) > caps.maxFeePerGas || (gasFees >> 128) > caps.maxPriorityFeePerGas
                || userOp.preVerificationGas > caps.maxPreVerificationGas
        ) return false;
        if (validUntil < validAfter || validUntil - validAfter > MAX_SESSION_OP_VALIDITY || validUntil == 0) {
            return false;
        }
        bytes calldata paymasterAndData = userOp.paymasterAndData;
        if (paymasterAndData.length >= 20) return true; // the paymaster pays (an owner-allowed one: validateUserOp)
        uint256 accountGasLimits = uint256(userOp.accountGasLimits);
        uint256 maxCost =
            ((accountGasLimits >> 128) + uint128(accountGasLimits) + userOp.preVerificationGas) * uint128(gasFees);
        Allowance storage budget = _gasAllowance[s.id];
        if (maxCost > budget.limit) return false;
        return _spend(budget, s.period, validAfter, maxCost) <= budget.limit;
    }

    function _selector(bytes memory data) private pure returns (bytes4 selector) {
        if (data.length < 4) return bytes4(0);
        assembly ("memory-safe") {
            selector := mload(add(data, 32))
        }
    }

    /// A token with a limit takes only the calls the limit can count (transfer, approve, transferFrom), even
    /// under ANY_SELECTOR: transferAndCall, increaseAllowance and the like would move tokens around it.
    function _inScope(uint64 id, address target, bytes4 selector) private view returns (bool) {
        if (target == address(this)) return false;
        if (_tokenAllowance[id][target].set && !_isTokenCall(selector)) return false;
        return _allowed[id][target][selector] || _allowed[id][target][ANY_SELECTOR];
    }

    // ---- owner administration ----

    function transferOwnership(address newOwner) external onlyOwnerAuthority {
        if (newOwner == address(0)) revert NotAuthorized();
        emit OwnerChanged(owner, newOwner);
        owner = newOwner;
    }

    function grantSessionKey(address key, SessionConfig calldata config) external onlyOwnerAuthority {
        if (key == address(0) || key == owner) revert InvalidSessionKey();
        if (sessions[key].id != 0) _endSession(key, sessions[key].id); // re-granting ends the old session first
        uint64 id = ++sessionCount;
        sessions[key] = Session(id, config.validAfter, config.validUntil, config.period);
        for (uint256 i = 0; i < config.permissions.length; i++) {
            _allowed[id][config.permissions[i].target][config.permissions[i].selector] = true;
        }
        _setLimit(_valueAllowance[id], config.valueLimit);
        for (uint256 i = 0; i < config.tokenLimits.length; i++) {
            _setLimit(_tokenAllowance[id][config.tokenLimits[i].token], config.tokenLimits[i].limit);
        }
        _gasCaps[id] = config.gas;
        _setLimit(_gasAllowance[id], config.gas.budget);
        emit SessionKeyGranted(key, id, config.validUntil);
    }

    /// A limit of 2^128 or more (e.g. type(uint256).max for "unlimited") is stored as 2^128 - 1: no single spend
    /// that large is accepted anyway (_spend), so the two mean the same.
    function _setLimit(Allowance storage a, uint256 limit) private {
        a.set = true;
        a.limit = limit > type(uint128).max ? type(uint128).max : uint128(limit);
    }

    /// @notice Ends the session of `key` (expired or not) and takes back every allowance it approved.
    function revokeSessionKey(address key) external onlyOwnerAuthority {
        uint64 id = sessions[key].id;
        if (id == 0) revert SessionNotActive(key);
        _endSession(key, id);
    }

    function _endSession(address key, uint64 id) private {
        delete sessions[key];
        SpenderApproval[] storage approvals = _approvals[id];
        for (uint256 i = 0; i < approvals.length; i++) {
            // A token that refuses must not block the revocation itself: the event says which reset failed.
            (bool reset,) = approvals[i].token.call(abi.encodeWithSelector(APPROVE, approvals[i].spender, 0));
            emit SessionApprovalReset(key, approvals[i].token, approvals[i].spender, reset);
        }
        emit SessionKeyRevoked(key, id);
    }

    /// @notice Lets session-key ops name `paymaster` (e.g. a sponsor that signs each op), or stops them.
    function setSessionPaymaster(address paymaster, bool allowed) external onlyOwnerAuthority {
        sessionPaymasters[paymaster] = allowed;
        emit SessionPaymasterSet(paymaster, allowed);
    }

    /// @notice Spent within the rolling period ending now, and the limit: ETH for token address(0).
    function sessionAllowance(address key, address token) external view returns (uint256 spent, uint256 limit) {
        Session memory s = sessions[key];
        Allowance memory a = token == address(0) ? _valueAllowance[s.id] : _tokenAllowance[s.id][token];
        return (_windowSpent(a, s.period, block.timestamp), a.limit);
    }

    /// @notice Gas (wei of maximum op cost) charged within the rolling period ending now, the budget and the caps.
    function sessionGas(address key) external view returns (uint256 spent, SessionGas memory caps) {
        Session memory s = sessions[key];
        return (_windowSpent(_gasAllowance[s.id], s.period, block.timestamp), _gasCaps[s.id]);
    }

    function isAllowed(address key, address target, bytes4 selector) external view returns (bool) {
        uint64 id = sessions[key].id;
        return id != 0 && _inScope(id, target, selector);
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
