// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SeedPortal} from "./SeedPortal.sol";

/// @notice The L2 half: mints the twin of `l1Token` to `to` (called by the deposit, from this bridge's alias).
interface IL2StandardBridge {
    function finalizeDeposit(address l1Token, address from, address to, uint256 amount) external;
}

/// @title L1StandardBridge
/// @notice ERC-20 deposits and withdrawals for every Seed agent chain (docs/decisions/0700). Tokens are
/// escrowed per chain (inbox) and per token; a deposit is a portal deposit whose L2 call is
/// `L2StandardBridge.finalizeDeposit`, and a withdrawal is paid only while the portal relays a withdrawal of
/// that same chain sent by the L2StandardBridge predeploy. Ownerless.
contract L1StandardBridge {
    using SafeERC20 for IERC20;

    /// @notice The L2StandardBridge predeploy (same address on every Seed chain).
    address public constant L2_STANDARD_BRIDGE = 0x4200000000000000000000000000000000000010;

    SeedPortal public immutable PORTAL;
    /// @notice Tokens each chain holds on L1.
    mapping(address inbox => mapping(address l1Token => uint256)) public escrow;

    event ERC20DepositInitiated(
        address indexed inbox, address indexed l1Token, address indexed from, address to, uint256 amount
    );
    event ERC20WithdrawalFinalized(
        address indexed inbox, address indexed l1Token, address indexed from, address to, uint256 amount
    );

    error NotFromL2Bridge();
    error ZeroAmount();
    error InsufficientEscrow(uint256 available, uint256 requested);

    constructor(SeedPortal portal) {
        PORTAL = portal;
    }

    /// @notice Moves `amount` of `l1Token` from the caller into the chain of `inbox`, credited to `to` on L2 with
    /// `gasLimit` for the L2 call. The caller approves this bridge first. Counts what arrived (a token that
    /// takes a fee on transfer credits less), never what was asked.
    function depositERC20(address inbox, address l1Token, address to, uint256 amount, uint64 gasLimit) external {
        if (amount == 0) revert ZeroAmount();
        IERC20 token = IERC20(l1Token);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received == 0) revert ZeroAmount();
        escrow[inbox][l1Token] += received;
        PORTAL.depositTransaction(
            inbox,
            L2_STANDARD_BRIDGE,
            0,
            gasLimit,
            false,
            abi.encodeCall(IL2StandardBridge.finalizeDeposit, (l1Token, msg.sender, to, received))
        );
        emit ERC20DepositInitiated(inbox, l1Token, msg.sender, to, received);
    }

    /// @notice Pays out an L2 withdrawal of a twin: only from the portal, relaying a withdrawal of `inbox`'s
    /// chain whose L2 sender is the L2StandardBridge.
    function finalizeWithdrawal(address inbox, address l1Token, address from, address to, uint256 amount) external {
        if (
            msg.sender != address(PORTAL) || PORTAL.l2Sender() != L2_STANDARD_BRIDGE
                || PORTAL.relayingInbox() != inbox
        ) revert NotFromL2Bridge();
        uint256 available = escrow[inbox][l1Token];
        if (amount > available) revert InsufficientEscrow(available, amount);
        escrow[inbox][l1Token] = available - amount;
        IERC20(l1Token).safeTransfer(to, amount);
        emit ERC20WithdrawalFinalized(inbox, l1Token, from, to, amount);
    }
}
