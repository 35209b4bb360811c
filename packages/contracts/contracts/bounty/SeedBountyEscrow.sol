// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

interface IAgentIdentity {
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool);
    function getAgentWallet(uint256 agentId) external view returns (address);
}

/// @title SeedBountyEscrow: work on an agent's chain (replicas, verification, pinning) paid per epoch.
/// @notice A poster locks funds for up to `maxOperators` operators; each slot is an allotment of
/// `funds / maxOperators`. An ERC-8004 agent joins a slot; from then on the slot is a payment channel
/// from the poster to the agent's wallet: each epoch the poster checks the work off chain and, if it
/// holds, signs an EIP-712 voucher for the *cumulative* amount owed (no transaction). The operator claims
/// the latest voucher whenever it likes, so an epoch costs a signature and a settlement pays many epochs.
/// The poster takes back the slots nobody joined at any time, and the rest after asking to close and
/// waiting CLOSE_DELAY, during which operators can still claim (decision 0802).
contract SeedBountyEscrow is EIP712 {
    using SafeERC20 for IERC20;

    enum Kind {
        Replica, // serve a replica of the chain whose batches land on `inbox`
        Verify, // verify the chain's outputs each challenge window
        Pin // pin the chain's batches
    }

    struct Bounty {
        address poster;
        Kind kind;
        uint32 maxOperators;
        uint32 operators;
        uint64 epochLength; // seconds
        uint64 closeRequestedAt; // 0 = open
        address inbox;
        address token;
        uint256 pricePerEpoch;
        uint256 allotment; // per operator
        uint256 unallotted; // funds of slots nobody joined
    }

    struct Slot {
        address operator; // the key that joined (signs the operator's answers off chain)
        address payee; // the agent's wallet when it joined: where its vouchers pay
        uint256 claimed;
        bool closed;
    }

    bytes32 public constant VOUCHER_TYPEHASH =
        keccak256("EpochVoucher(uint256 bountyId,uint256 agentId,uint256 cumulativeAmount)");

    /// @notice How long operators have to claim after the poster asks to close (as SeedPaymentChannel's
    /// MIN_CLOSE_DELAY: shorter, and a poster could sign, close and withdraw before a batching operator claims).
    uint64 public constant CLOSE_DELAY = 1 hours;
    uint32 public constant MAX_OPERATORS = 64;

    IAgentIdentity public immutable identity;
    uint256 public bountyCount;
    mapping(uint256 bountyId => Bounty) public bounties;
    mapping(uint256 bountyId => mapping(uint256 agentId => Slot)) public slots;

    event BountyPosted(
        uint256 indexed bountyId,
        address indexed poster,
        Kind indexed kind,
        address inbox,
        address token,
        uint256 pricePerEpoch,
        uint64 epochLength,
        uint32 maxOperators,
        uint256 funds
    );
    event BountyJoined(uint256 indexed bountyId, uint256 indexed agentId, address indexed operator, address payee);
    /// @notice A settlement: `payer` paid `payee` (the agent's wallet) `amount` for epochs of this bounty.
    event EpochsPaid(
        uint256 indexed bountyId,
        uint256 indexed agentId,
        address indexed payer,
        address payee,
        uint256 amount,
        uint256 cumulativeAmount
    );
    event SlotClosed(uint256 indexed bountyId, uint256 indexed agentId, uint256 claimed, uint256 refunded);
    event Unallotted(uint256 indexed bountyId, uint256 refunded);
    event CloseRequested(uint256 indexed bountyId, uint256 closableAt);
    event BountyClosed(uint256 indexed bountyId, uint256 refunded);

    error InvalidTerms();
    error BountyNotFound();
    error BountyClosing();
    error BountyFull();
    error NotAgent();
    error NoAgentWallet();
    error AlreadyJoined();
    error NotJoined();
    error SlotIsClosed();
    error NotPoster();
    error NotOperator();
    error InvalidVoucher();
    error VoucherExceedsAllotment(uint256 cumulativeAmount, uint256 allotment);
    error NothingToClaim();
    error CloseNotRequested();
    error CloseDelayNotOver(uint256 closableAt);

    constructor(IAgentIdentity identity_) EIP712("SeedBountyEscrow", "1") {
        identity = identity_;
    }

    /// @notice Posts a bounty funded with `funds` of `token` (approved to this contract), split into
    /// `maxOperators` equal allotments of at least one epoch's price each.
    function post(
        Kind kind,
        address inbox,
        address token,
        uint256 pricePerEpoch,
        uint64 epochLength,
        uint32 maxOperators,
        uint256 funds
    ) external returns (uint256 id) {
        if (
            inbox == address(0) || token == address(0) || pricePerEpoch == 0 || epochLength == 0 || maxOperators == 0
                || maxOperators > MAX_OPERATORS || funds / maxOperators < pricePerEpoch
        ) revert InvalidTerms();
        id = ++bountyCount;
        uint256 allotment = funds / maxOperators;
        bounties[id] = Bounty({
            poster: msg.sender,
            kind: kind,
            maxOperators: maxOperators,
            operators: 0,
            epochLength: epochLength,
            closeRequestedAt: 0,
            inbox: inbox,
            token: token,
            pricePerEpoch: pricePerEpoch,
            allotment: allotment,
            unallotted: funds
        });
        emit BountyPosted(id, msg.sender, kind, inbox, token, pricePerEpoch, epochLength, maxOperators, funds);
        IERC20(token).safeTransferFrom(msg.sender, address(this), funds);
    }

    /// @notice Takes a slot for `agentId`: the caller must own or operate the agent, which must have a wallet.
    function join(uint256 id, uint256 agentId) external {
        Bounty storage b = _get(id);
        if (b.closeRequestedAt != 0) revert BountyClosing();
        if (b.operators >= b.maxOperators) revert BountyFull();
        if (!identity.isAuthorizedOrOwner(msg.sender, agentId)) revert NotAgent();
        address payee = identity.getAgentWallet(agentId);
        if (payee == address(0)) revert NoAgentWallet();
        if (slots[id][agentId].operator != address(0)) revert AlreadyJoined();
        b.operators += 1;
        b.unallotted -= b.allotment;
        slots[id][agentId] = Slot({operator: msg.sender, payee: payee, claimed: 0, closed: false});
        emit BountyJoined(id, agentId, msg.sender, payee);
    }

    /// @notice The digest the poster signs for an epoch voucher (EIP-712).
    function voucherDigest(uint256 id, uint256 agentId, uint256 cumulativeAmount) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, id, agentId, cumulativeAmount)));
    }

    /// @notice Pays the agent's wallet what the voucher adds to its claimed total. Anyone may submit it.
    function claim(uint256 id, uint256 agentId, uint256 cumulativeAmount, bytes calldata signature)
        public
        returns (uint256 amount)
    {
        Bounty storage b = _get(id);
        Slot storage s = slots[id][agentId];
        if (s.operator == address(0)) revert NotJoined();
        if (s.closed) revert SlotIsClosed();
        if (!SignatureChecker.isValidSignatureNow(b.poster, voucherDigest(id, agentId, cumulativeAmount), signature)) {
            revert InvalidVoucher();
        }
        if (cumulativeAmount > b.allotment) revert VoucherExceedsAllotment(cumulativeAmount, b.allotment);
        if (cumulativeAmount <= s.claimed) revert NothingToClaim();
        amount = cumulativeAmount - s.claimed;
        s.claimed = cumulativeAmount;
        emit EpochsPaid(id, agentId, b.poster, s.payee, amount, cumulativeAmount);
        IERC20(b.token).safeTransfer(s.payee, amount);
    }

    /// @notice The operator exits: claims its last voucher (if it adds anything) and returns the rest of its
    /// allotment to the poster at once.
    function exit(uint256 id, uint256 agentId, uint256 cumulativeAmount, bytes calldata signature) external {
        Bounty storage b = _get(id);
        Slot storage s = slots[id][agentId];
        if (s.operator == address(0)) revert NotJoined();
        if (msg.sender != s.operator && !identity.isAuthorizedOrOwner(msg.sender, agentId)) revert NotOperator();
        if (cumulativeAmount > s.claimed) claim(id, agentId, cumulativeAmount, signature);
        if (s.closed) revert SlotIsClosed();
        s.closed = true;
        uint256 refund = b.allotment - s.claimed;
        emit SlotClosed(id, agentId, s.claimed, refund);
        if (refund > 0) IERC20(b.token).safeTransfer(b.poster, refund);
    }

    /// @notice The poster takes back the slots nobody joined; no one can join afterwards.
    function withdrawUnallotted(uint256 id) external {
        Bounty storage b = _get(id);
        if (msg.sender != b.poster) revert NotPoster();
        uint256 refund = b.unallotted;
        b.unallotted = 0;
        b.maxOperators = b.operators;
        emit Unallotted(id, refund);
        if (refund > 0) IERC20(b.token).safeTransfer(b.poster, refund);
    }

    /// @notice The poster starts closing; operators have CLOSE_DELAY to claim their latest vouchers.
    function requestClose(uint256 id) external {
        Bounty storage b = _get(id);
        if (msg.sender != b.poster) revert NotPoster();
        if (b.closeRequestedAt != 0) revert BountyClosing();
        b.closeRequestedAt = uint64(block.timestamp);
        emit CloseRequested(id, block.timestamp + CLOSE_DELAY);
    }

    /// @notice After the delay, returns every unclaimed allotment and the unjoined slots to the poster.
    /// Slots stay recorded (closed) so their vouchers can never pay again.
    function withdraw(uint256 id, uint256[] calldata agentIds) external {
        Bounty storage b = _get(id);
        if (b.closeRequestedAt == 0) revert CloseNotRequested();
        uint256 closableAt = uint256(b.closeRequestedAt) + CLOSE_DELAY;
        if (block.timestamp < closableAt) revert CloseDelayNotOver(closableAt);
        uint256 refund = b.unallotted;
        b.unallotted = 0;
        for (uint256 i = 0; i < agentIds.length; i++) {
            Slot storage s = slots[id][agentIds[i]];
            if (s.operator == address(0) || s.closed) continue;
            s.closed = true;
            uint256 rest = b.allotment - s.claimed;
            refund += rest;
            emit SlotClosed(id, agentIds[i], s.claimed, rest);
        }
        emit BountyClosed(id, refund);
        if (refund > 0) IERC20(b.token).safeTransfer(b.poster, refund);
    }

    function _get(uint256 id) private view returns (Bounty storage b) {
        b = bounties[id];
        if (b.poster == address(0)) revert BountyNotFound();
    }
}
