// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAgentIdentity} from "./ReputationRegistry.sol";

/// @title ValidationRegistry: ERC-8004 requests for independent checks of an agent's work, and the answers.
/// @notice ABI-compatible with the ERC-8004 v1 Validation Registry. The agent's owner or operator names a
/// validator and commits to a request (its hash); only that validator may answer, with a 0–100 response
/// (it may answer again, e.g. soft then hard finality; the latest counts).
contract ValidationRegistry {
    struct ValidationStatus {
        address validatorAddress;
        uint8 response;
        bool hasResponse;
        uint256 agentId;
        bytes32 responseHash;
        string tag;
        uint256 lastUpdate;
    }

    uint8 public constant MAX_RESPONSE = 100;

    event ValidationRequest(
        address indexed validatorAddress, uint256 indexed agentId, string requestURI, bytes32 indexed requestHash
    );
    event ValidationResponse(
        address indexed validatorAddress,
        uint256 indexed agentId,
        bytes32 indexed requestHash,
        uint8 response,
        string responseURI,
        bytes32 responseHash,
        string tag
    );

    error NotAgentOwnerOrOperator(uint256 agentId, address caller);
    error ZeroValidator();
    error ValidationRequestExists(bytes32 requestHash);
    error UnknownValidationRequest(bytes32 requestHash);
    error NotTheValidator(bytes32 requestHash, address caller);
    error ValidationResponseOutOfRange(uint8 response);

    address private immutable _identityRegistry;
    mapping(bytes32 requestHash => ValidationStatus) private _validations;
    mapping(uint256 agentId => bytes32[]) private _agentValidations;
    mapping(address validator => bytes32[]) private _validatorRequests;

    constructor(address identityRegistry_) {
        _identityRegistry = identityRegistry_;
    }

    function getIdentityRegistry() external view returns (address) {
        return _identityRegistry;
    }

    function validationRequest(address validatorAddress, uint256 agentId, string calldata requestURI, bytes32 requestHash)
        external
    {
        if (validatorAddress == address(0)) revert ZeroValidator();
        if (!IAgentIdentity(_identityRegistry).isAuthorizedOrOwner(msg.sender, agentId)) {
            revert NotAgentOwnerOrOperator(agentId, msg.sender);
        }
        ValidationStatus storage s = _validations[requestHash];
        if (s.validatorAddress != address(0)) revert ValidationRequestExists(requestHash);
        s.validatorAddress = validatorAddress;
        s.agentId = agentId;
        s.lastUpdate = block.timestamp;
        _agentValidations[agentId].push(requestHash);
        _validatorRequests[validatorAddress].push(requestHash);
        emit ValidationRequest(validatorAddress, agentId, requestURI, requestHash);
    }

    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external {
        if (response > MAX_RESPONSE) revert ValidationResponseOutOfRange(response);
        ValidationStatus storage s = _validations[requestHash];
        if (s.validatorAddress == address(0)) revert UnknownValidationRequest(requestHash);
        if (msg.sender != s.validatorAddress) revert NotTheValidator(requestHash, msg.sender);
        s.response = response;
        s.hasResponse = true;
        s.responseHash = responseHash;
        s.tag = tag;
        s.lastUpdate = block.timestamp;
        emit ValidationResponse(s.validatorAddress, s.agentId, requestHash, response, responseURI, responseHash, tag);
    }

    function getValidationStatus(bytes32 requestHash)
        external
        view
        returns (
            address validatorAddress,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256 lastUpdate
        )
    {
        ValidationStatus storage s = _validations[requestHash];
        if (s.validatorAddress == address(0)) revert UnknownValidationRequest(requestHash);
        return (s.validatorAddress, s.agentId, s.response, s.responseHash, s.tag, s.lastUpdate);
    }

    /// @notice Count and mean of the answered requests for the agent, from `validatorAddresses` (all when
    /// empty) with `tag` (any when empty).
    function getSummary(uint256 agentId, address[] calldata validatorAddresses, string calldata tag)
        external
        view
        returns (uint64 count, uint8 averageResponse)
    {
        bytes32[] storage hashes = _agentValidations[agentId];
        uint256 total;
        for (uint256 i; i < hashes.length; i++) {
            ValidationStatus storage s = _validations[hashes[i]];
            if (!s.hasResponse || !_listed(s.validatorAddress, validatorAddresses)) continue;
            if (bytes(tag).length > 0 && keccak256(bytes(s.tag)) != keccak256(bytes(tag))) continue;
            total += s.response;
            count++;
        }
        averageResponse = count > 0 ? uint8(total / count) : 0;
    }

    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory) {
        return _agentValidations[agentId];
    }

    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory) {
        return _validatorRequests[validatorAddress];
    }

    function _listed(address validator, address[] calldata list) private pure returns (bool) {
        if (list.length == 0) return true;
        for (uint256 i; i < list.length; i++) {
            if (list[i] == validator) return true;
        }
        return false;
    }
}
