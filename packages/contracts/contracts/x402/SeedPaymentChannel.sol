// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

interface IERC3009Receive {
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external;
}

/// @title SeedPaymentChannel: one deposit, many signed vouchers, periodic claims (x402 micropayments).
/// @notice A payer locks tokens for one payee. Each paid request carries an EIP-712 voucher for the
/// *cumulative* amount owed so far, signed by the payer (EOA or ERC-1271 smart account); vouchers need no
/// transaction. The payee (or anyone on its behalf) claims the latest voucher whenever it likes: only the
/// difference to what was already claimed moves, so an old voucher is worth nothing and replaying one is
/// harmless. The payer gets the rest back by closing: immediately if the payee closes, or after
/// `closeDelay` (at least MIN_CLOSE_DELAY, during which the payee can still claim) if the payer starts it.
contract SeedPaymentChannel is EIP712 {
    using SafeERC20 for IERC20;

    struct Channel {
        address payer;
        address payee;
        address token;
        uint64 closeDelay;
        uint64 closeRequestedAt; // 0 = open
        uint256 deposit; // total ever deposited
        uint256 claimed; // total paid to the payee
    }

    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint256 cumulativeAmount)");
    bytes32 public constant OPEN_TYPEHASH = keccak256("Open(address payee,uint64 closeDelay,bytes32 salt)");

    /// @notice The shortest close delay a channel may have: the payee's window to claim after the payer asks
    /// to close. Shorter, and a payer could consume, close and withdraw before a payee that claims in batches
    /// ever looks (0 made it a race the payer always wins).
    uint64 public constant MIN_CLOSE_DELAY = 1 hours;

    mapping(bytes32 channelId => Channel) public channels;

    event ChannelOpened(
        bytes32 indexed channelId, address indexed payer, address indexed payee, address token, uint256 deposit
    );
    event ChannelToppedUp(bytes32 indexed channelId, uint256 amount, uint256 deposit);
    event Claimed(bytes32 indexed channelId, uint256 amount, uint256 cumulativeAmount);
    event CloseRequested(bytes32 indexed channelId, uint256 closableAt);
    event ChannelClosed(bytes32 indexed channelId, uint256 claimed, uint256 refunded);

    error ChannelExists();
    error ChannelNotFound();
    error NotPayer();
    error NotPayee();
    error InvalidVoucher();
    error VoucherExceedsDeposit(uint256 cumulativeAmount, uint256 deposit);
    error NothingToClaim();
    error CloseNotRequested();
    error CloseDelayNotOver(uint256 closableAt);
    error ChannelClosing();
    error CloseDelayTooShort(uint64 closeDelay, uint64 minimum);

    constructor() EIP712("SeedPaymentChannel", "1") {}

    function channelId(address payer, address payee, address token, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(payer, payee, token, salt));
    }

    /// @notice Opens a channel funded with `amount` (the payer approved this contract).
    function open(address payee, address token, uint256 amount, uint64 closeDelay, bytes32 salt)
        external
        returns (bytes32 id)
    {
        id = _create(msg.sender, payee, token, amount, closeDelay, salt);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice The EIP-3009 nonce a payer signs to open a channel with `openWithAuthorization`: it commits the
    /// authorisation to the channel's payee, close delay and salt (amount, token and payer are in the
    /// authorisation itself), so whoever submits it cannot open a different channel with the payer's funds.
    function openNonce(address payee, uint64 closeDelay, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(OPEN_TYPEHASH, payee, closeDelay, salt));
    }

    /// @notice Opens a channel funded by an EIP-3009 `receiveWithAuthorization` the payer signed (no approve,
    /// no payer transaction: a facilitator can submit it). The authorisation must name this contract as `to`
    /// and carry `openNonce(payee, closeDelay, salt)` as its nonce.
    function openWithAuthorization(
        address payer,
        address payee,
        address token,
        uint256 amount,
        uint64 closeDelay,
        bytes32 salt,
        uint256 validAfter,
        uint256 validBefore,
        bytes calldata signature
    ) external returns (bytes32 id) {
        bytes32 nonce = openNonce(payee, closeDelay, salt);
        id = _create(payer, payee, token, amount, closeDelay, salt);
        _receive(token, payer, amount, validAfter, validBefore, nonce, signature);
    }

    function _receive(
        address token,
        address payer,
        uint256 amount,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) private {
        IERC3009Receive(token).receiveWithAuthorization(
            payer, address(this), amount, validAfter, validBefore, nonce, signature
        );
    }

    function topUp(bytes32 id, uint256 amount) external {
        Channel storage c = _get(id);
        if (msg.sender != c.payer) revert NotPayer();
        if (c.closeRequestedAt != 0) revert ChannelClosing();
        c.deposit += amount;
        emit ChannelToppedUp(id, amount, c.deposit);
        IERC20(c.token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice The digest a payer signs for a voucher (EIP-712).
    function voucherDigest(bytes32 id, uint256 cumulativeAmount) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, id, cumulativeAmount)));
    }

    /// @notice Pays the payee what the voucher adds to the claimed total. Anyone may submit it.
    function claim(bytes32 id, uint256 cumulativeAmount, bytes calldata signature) public returns (uint256 amount) {
        Channel storage c = _get(id);
        if (!SignatureChecker.isValidSignatureNow(c.payer, voucherDigest(id, cumulativeAmount), signature)) {
            revert InvalidVoucher();
        }
        if (cumulativeAmount > c.deposit) revert VoucherExceedsDeposit(cumulativeAmount, c.deposit);
        if (cumulativeAmount <= c.claimed) revert NothingToClaim();
        amount = cumulativeAmount - c.claimed;
        c.claimed = cumulativeAmount;
        emit Claimed(id, amount, cumulativeAmount);
        IERC20(c.token).safeTransfer(c.payee, amount);
    }

    /// @notice Payee closes: claims the last voucher (if any) and refunds the rest to the payer at once.
    function close(bytes32 id, uint256 cumulativeAmount, bytes calldata signature) external {
        Channel storage c = _get(id);
        if (msg.sender != c.payee) revert NotPayee();
        if (cumulativeAmount > c.claimed) claim(id, cumulativeAmount, signature);
        _finish(id);
    }

    /// @notice Payer starts closing; the payee has `closeDelay` seconds to claim its latest voucher.
    function requestClose(bytes32 id) external {
        Channel storage c = _get(id);
        if (msg.sender != c.payer) revert NotPayer();
        if (c.closeRequestedAt != 0) revert ChannelClosing();
        c.closeRequestedAt = uint64(block.timestamp);
        emit CloseRequested(id, block.timestamp + c.closeDelay);
    }

    /// @notice After the delay, returns what was not claimed to the payer.
    function withdraw(bytes32 id) external {
        Channel storage c = _get(id);
        if (c.closeRequestedAt == 0) revert CloseNotRequested();
        uint256 closableAt = uint256(c.closeRequestedAt) + c.closeDelay;
        if (block.timestamp < closableAt) revert CloseDelayNotOver(closableAt);
        _finish(id);
    }

    function _create(address payer, address payee, address token, uint256 amount, uint64 closeDelay, bytes32 salt)
        private
        returns (bytes32 id)
    {
        if (closeDelay < MIN_CLOSE_DELAY) revert CloseDelayTooShort(closeDelay, MIN_CLOSE_DELAY);
        id = channelId(payer, payee, token, salt);
        if (channels[id].payer != address(0)) revert ChannelExists();
        channels[id] = Channel(payer, payee, token, closeDelay, 0, amount, 0);
        emit ChannelOpened(id, payer, payee, token, amount);
    }

    function _get(bytes32 id) private view returns (Channel storage c) {
        c = channels[id];
        if (c.payer == address(0)) revert ChannelNotFound();
    }

    function _finish(bytes32 id) private {
        Channel memory c = channels[id];
        uint256 refund = c.deposit - c.claimed;
        // The id stays taken (payer kept, amounts zeroed) so old vouchers for it can never pay again.
        channels[id].deposit = c.claimed;
        channels[id].closeRequestedAt = type(uint64).max;
        emit ChannelClosed(id, c.claimed, refund);
        if (refund > 0) IERC20(c.token).safeTransfer(c.payer, refund);
    }
}
