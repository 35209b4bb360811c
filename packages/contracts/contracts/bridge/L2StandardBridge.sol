// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {L1StandardBridge} from "./L1StandardBridge.sol";
import {L2ToL1MessagePasser} from "./L2ToL1MessagePasser.sol";
import {L2TwinERC20} from "./L2TwinERC20.sol";

/// @title L2StandardBridge
/// @notice L2 predeploy at 0x4200…0010 of every Seed chain (rollup-lite SPEC §10.4): mints an L1 token's twin
/// when the L1StandardBridge's deposit arrives, and burns it to send a withdrawal whose L1 call is
/// `L1StandardBridge.finalizeWithdrawal`. Lives in the genesis alloc: runtime code only, so the two addresses it
/// needs are genesis storage (slot 0: the L1StandardBridge, slot 1: this chain's RollupInbox), never immutables.
contract L2StandardBridge {
    L2ToL1MessagePasser public constant MESSAGE_PASSER =
        L2ToL1MessagePasser(payable(0x4200000000000000000000000000000000000016));
    uint160 private constant ALIAS_OFFSET = uint160(0x1111000000000000000000000000000000001111);

    /// @notice Slot 0 (genesis): the L1StandardBridge, whose aliased address is the only depositor accepted.
    address public l1StandardBridge;
    /// @notice Slot 1 (genesis): this chain's RollupInbox, which names the chain to the L1 bridge.
    address public inbox;
    /// @notice Slot 2: the L1 token of each twin this bridge created.
    mapping(address twin => address l1Token) public l1TokenOf;

    event DepositFinalized(
        address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount
    );
    event WithdrawalInitiated(
        address indexed l1Token, address indexed l2Token, address indexed from, address to, uint256 amount
    );

    error NotFromL1Bridge(address caller);
    error NotATwin(address token);

    /// @notice Mints `amount` of `l1Token`'s twin to `to` (creating the twin on the token's first deposit): only
    /// a deposit sent by the L1StandardBridge, whose L2 sender is its alias.
    function finalizeDeposit(address l1Token, address from, address to, uint256 amount) external {
        if (msg.sender != address(uint160(l1StandardBridge) + ALIAS_OFFSET)) revert NotFromL1Bridge(msg.sender);
        address twin = twinAddress(l1Token);
        if (twin.code.length == 0) {
            new L2TwinERC20{salt: bytes32(uint256(uint160(l1Token)))}(l1Token);
            l1TokenOf[twin] = l1Token;
        }
        L2TwinERC20(twin).mint(to, amount);
        emit DepositFinalized(l1Token, twin, from, to, amount);
    }

    /// @notice Withdraws `amount` of the twin `l2Token` to the caller's address on L1.
    function withdraw(address l2Token, uint256 amount, uint32 gasLimit) external {
        _withdraw(l2Token, msg.sender, amount, gasLimit);
    }

    /// @notice Withdraws `amount` of the twin `l2Token` to `to` on L1.
    function withdrawTo(address l2Token, address to, uint256 amount, uint32 gasLimit) external {
        _withdraw(l2Token, to, amount, gasLimit);
    }

    /// @notice Where `l1Token`'s twin is (or will be): CREATE2 from this bridge, salt the token, init code the
    /// twin's with the token as its argument.
    function twinAddress(address l1Token) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(L2TwinERC20).creationCode, abi.encode(l1Token)));
        bytes32 salt = bytes32(uint256(uint160(l1Token)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }

    function _withdraw(address l2Token, address to, uint256 amount, uint32 gasLimit) private {
        address l1Token = l1TokenOf[l2Token];
        if (l1Token == address(0)) revert NotATwin(l2Token);
        L2TwinERC20(l2Token).burn(msg.sender, amount);
        MESSAGE_PASSER.initiateWithdrawal(
            l1StandardBridge,
            gasLimit,
            abi.encodeCall(L1StandardBridge.finalizeWithdrawal, (inbox, l1Token, msg.sender, to, amount))
        );
        emit WithdrawalInitiated(l1Token, l2Token, msg.sender, to, amount);
    }
}
