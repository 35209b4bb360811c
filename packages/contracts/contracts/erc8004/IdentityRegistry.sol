// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title IdentityRegistry: ERC-8004 agent identities as ERC-721 tokens (agentId = tokenId, agentURI = tokenURI).
/// @notice ABI-compatible with the ERC-8004 v1 Identity Registry. The reserved `agentWallet` (where the agent
/// is paid) starts as the owner and changes only with an EIP-712 proof from the new wallet (ECDSA for an EOA,
/// ERC-1271 for a smart account); a transfer clears it, so a new owner never inherits a proof it did not make.
/// No admin, no upgrade: deployed once per chain at a deterministic address (docs/decisions/0800).
contract IdentityRegistry is ERC721URIStorage, EIP712 {
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    bytes32 public constant AGENT_WALLET_SET_TYPEHASH =
        keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)");
    /// @notice A wallet proof is short-lived: a leaked one is useless minutes later.
    uint256 public constant MAX_DEADLINE_DELAY = 5 minutes;
    bytes32 private constant AGENT_WALLET_KEY = keccak256("agentWallet");

    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);
    event MetadataSet(
        uint256 indexed agentId, string indexed indexedMetadataKey, string metadataKey, bytes metadataValue
    );

    error NotAgentOwnerOrOperator(uint256 agentId, address caller);
    error ReservedMetadataKey(string metadataKey);
    error ZeroAgentWallet();
    error WalletProofExpired(uint256 deadline);
    error WalletProofDeadlineTooFar(uint256 deadline);
    error InvalidWalletProof(address newWallet);

    uint256 private _nextAgentId = 1;
    mapping(uint256 agentId => mapping(string metadataKey => bytes metadataValue)) private _metadata;
    mapping(uint256 agentId => address wallet) private _agentWallet;

    constructor() ERC721("AgentIdentity", "AGENT") EIP712("ERC8004IdentityRegistry", "1") {}

    function register() external returns (uint256 agentId) {
        agentId = _register("");
    }

    function register(string calldata agentURI) external returns (uint256 agentId) {
        agentId = _register(agentURI);
    }

    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId) {
        agentId = _register(agentURI);
        for (uint256 i; i < metadata.length; i++) {
            _setMetadata(agentId, metadata[i].metadataKey, metadata[i].metadataValue);
        }
    }

    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _requireOwnerOrOperator(agentId);
        _setTokenURI(agentId, newURI);
        emit URIUpdated(agentId, newURI, msg.sender);
    }

    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory) {
        return _metadata[agentId][metadataKey];
    }

    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external {
        _requireOwnerOrOperator(agentId);
        _setMetadata(agentId, metadataKey, metadataValue);
    }

    function getAgentWallet(uint256 agentId) external view returns (address) {
        _requireOwned(agentId);
        return _agentWallet[agentId];
    }

    /// @notice Points the agent at `newWallet`, proven by `signature` over the EIP-712 AgentWalletSet digest
    /// (this registry's domain, so a signature made for anything else never verifies here).
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external {
        address owner = _requireOwnerOrOperator(agentId);
        if (newWallet == address(0)) revert ZeroAgentWallet();
        if (block.timestamp > deadline) revert WalletProofExpired(deadline);
        if (deadline > block.timestamp + MAX_DEADLINE_DELAY) revert WalletProofDeadlineTooFar(deadline);
        bytes32 digest = agentWalletDigest(agentId, newWallet, owner, deadline);
        if (!SignatureChecker.isValidSignatureNow(newWallet, digest, signature)) revert InvalidWalletProof(newWallet);
        _storeAgentWallet(agentId, newWallet);
    }

    function unsetAgentWallet(uint256 agentId) external {
        _requireOwnerOrOperator(agentId);
        _storeAgentWallet(agentId, address(0));
    }

    /// @notice The digest the new wallet signs (exposed so clients and verifiers never re-derive it by hand).
    function agentWalletDigest(uint256 agentId, address newWallet, address owner, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline)));
    }

    /// @notice Owner, approved-for-all operator or the token's approved address: who may act for the agent
    /// (the reputation and validation registries ask this too).
    function isAuthorizedOrOwner(address spender, uint256 agentId) public view returns (bool) {
        address owner = _requireOwned(agentId);
        return _isAuthorized(owner, spender, agentId);
    }

    function _register(string memory agentURI) private returns (uint256 agentId) {
        agentId = _nextAgentId++;
        // Plain mint: the caller registers itself, and a smart account (SeedAccount has no ERC-721 receiver
        // hook) must be able to own its identity.
        _mint(msg.sender, agentId);
        if (bytes(agentURI).length > 0) _setTokenURI(agentId, agentURI);
        _storeAgentWallet(agentId, msg.sender);
        emit Registered(agentId, agentURI, msg.sender);
    }

    function _setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) private {
        if (keccak256(bytes(metadataKey)) == AGENT_WALLET_KEY) revert ReservedMetadataKey(metadataKey);
        _metadata[agentId][metadataKey] = metadataValue;
        emit MetadataSet(agentId, metadataKey, metadataKey, metadataValue);
    }

    function _storeAgentWallet(uint256 agentId, address wallet) private {
        _agentWallet[agentId] = wallet;
        bytes memory value = wallet == address(0) ? bytes("") : abi.encodePacked(wallet);
        _metadata[agentId]["agentWallet"] = value;
        emit MetadataSet(agentId, "agentWallet", "agentWallet", value);
    }

    function _requireOwnerOrOperator(uint256 agentId) private view returns (address owner) {
        owner = _requireOwned(agentId);
        if (!_isAuthorized(owner, msg.sender, agentId)) revert NotAgentOwnerOrOperator(agentId, msg.sender);
    }

    /// @dev A transfer (not a mint or burn) clears the wallet: the new owner must prove its own.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && to != address(0)) _storeAgentWallet(tokenId, address(0));
    }
}
