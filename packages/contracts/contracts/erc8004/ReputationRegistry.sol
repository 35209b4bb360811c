// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

interface IAgentIdentity {
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool);
}

/// @title ReputationRegistry: ERC-8004 feedback on agents (signed fixed-point values, tags, off-chain files).
/// @notice ABI-compatible with the ERC-8004 v1 Reputation Registry. Anyone but the agent's owner and operators
/// may give feedback; the giver may revoke it; anyone may append a response (the agent answering a review).
/// On-chain summaries count every unrevoked entry: which entries are *paid* (their file carries a checked
/// proof of payment) is decided off-chain by the reader, who then passes the paying clients as the filter.
contract ReputationRegistry {
    struct Feedback {
        int128 value;
        uint8 valueDecimals;
        bool isRevoked;
        string tag1;
        string tag2;
    }

    /// @notice At most 18 decimals and |value| ≤ 1e38, so every value fits 18-decimal fixed point in int256.
    uint8 public constant MAX_VALUE_DECIMALS = 18;
    int128 public constant MAX_ABS_VALUE = 1e38;

    event NewFeedback(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string indexed indexedTag1,
        string tag1,
        string tag2,
        string endpoint,
        string feedbackURI,
        bytes32 feedbackHash
    );
    event FeedbackRevoked(uint256 indexed agentId, address indexed clientAddress, uint64 indexed feedbackIndex);
    event ResponseAppended(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        address indexed responder,
        string responseURI,
        bytes32 responseHash
    );

    error SelfFeedback(uint256 agentId, address caller);
    error FeedbackValueOutOfRange(int128 value, uint8 valueDecimals);
    error FeedbackNotFound(uint256 agentId, address clientAddress, uint64 feedbackIndex);
    error FeedbackAlreadyRevoked(uint256 agentId, address clientAddress, uint64 feedbackIndex);
    error EmptyResponseURI();

    address private immutable _identityRegistry;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => Feedback))) private _feedback;
    mapping(uint256 agentId => mapping(address client => uint64 lastIndex)) private _lastIndex;
    mapping(uint256 agentId => address[] clients) private _clients;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => mapping(address responder => uint64))))
        private _responseCount;
    mapping(uint256 agentId => mapping(address client => mapping(uint64 index => address[] responders))) private
        _responders;

    constructor(address identityRegistry_) {
        _identityRegistry = identityRegistry_;
    }

    function getIdentityRegistry() external view returns (address) {
        return _identityRegistry;
    }

    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string memory tag1,
        string memory tag2,
        string memory endpoint,
        string memory feedbackURI,
        bytes32 feedbackHash
    ) external {
        if (valueDecimals > MAX_VALUE_DECIMALS || value > MAX_ABS_VALUE || value < -MAX_ABS_VALUE) {
            revert FeedbackValueOutOfRange(value, valueDecimals);
        }
        // Reverts for an agent that does not exist (the identity registry's ERC721NonexistentToken).
        if (IAgentIdentity(_identityRegistry).isAuthorizedOrOwner(msg.sender, agentId)) {
            revert SelfFeedback(agentId, msg.sender);
        }
        uint64 index = ++_lastIndex[agentId][msg.sender];
        if (index == 1) _clients[agentId].push(msg.sender);
        _feedback[agentId][msg.sender][index] = Feedback(value, valueDecimals, false, tag1, tag2);
        emit NewFeedback(
            agentId, msg.sender, index, value, valueDecimals, tag1, tag1, tag2, endpoint, feedbackURI, feedbackHash
        );
    }

    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external {
        Feedback storage f = _existing(agentId, msg.sender, feedbackIndex);
        if (f.isRevoked) revert FeedbackAlreadyRevoked(agentId, msg.sender, feedbackIndex);
        f.isRevoked = true;
        emit FeedbackRevoked(agentId, msg.sender, feedbackIndex);
    }

    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external {
        if (bytes(responseURI).length == 0) revert EmptyResponseURI();
        _existing(agentId, clientAddress, feedbackIndex);
        if (_responseCount[agentId][clientAddress][feedbackIndex][msg.sender]++ == 0) {
            _responders[agentId][clientAddress][feedbackIndex].push(msg.sender);
        }
        emit ResponseAppended(agentId, clientAddress, feedbackIndex, msg.sender, responseURI, responseHash);
    }

    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64) {
        return _lastIndex[agentId][clientAddress];
    }

    function getClients(uint256 agentId) external view returns (address[] memory) {
        return _clients[agentId];
    }

    function readFeedback(uint256 agentId, address clientAddress, uint64 feedbackIndex)
        external
        view
        returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked)
    {
        Feedback storage f = _existing(agentId, clientAddress, feedbackIndex);
        return (f.value, f.valueDecimals, f.tag1, f.tag2, f.isRevoked);
    }

    /// @notice Count and mean of the unrevoked feedback from `clientAddresses` (all clients when empty) that
    /// matches the tags (an empty tag matches any). The mean is in the largest decimals among the entries.
    function getSummary(uint256 agentId, address[] calldata clientAddresses, string calldata tag1, string calldata tag2)
        external
        view
        returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals)
    {
        (address[] memory clients, uint64[] memory indexes) = _matching(agentId, clientAddresses, tag1, tag2, false);
        return _mean(agentId, clients, indexes);
    }

    function readAllFeedback(
        uint256 agentId,
        address[] memory clientAddresses,
        string memory tag1,
        string memory tag2,
        bool includeRevoked
    )
        external
        view
        returns (
            address[] memory clients,
            uint64[] memory feedbackIndexes,
            int128[] memory values,
            uint8[] memory valueDecimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revokedStatuses
        )
    {
        (clients, feedbackIndexes) = _matching(agentId, clientAddresses, tag1, tag2, includeRevoked);
        (values, valueDecimals, tag1s, tag2s, revokedStatuses) = _entries(agentId, clients, feedbackIndexes);
    }

    /// @notice Responses to one entry (or, with feedbackIndex 0, to all of a client's; with clientAddress 0,
    /// to all of the agent's), from `responders` (everyone when empty).
    function getResponseCount(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        address[] calldata responders
    ) external view returns (uint64 count) {
        address[] memory clients;
        if (clientAddress == address(0)) {
            clients = _clients[agentId];
        } else {
            clients = new address[](1);
            clients[0] = clientAddress;
        }
        for (uint256 i; i < clients.length; i++) {
            if (feedbackIndex != 0) {
                count += _countResponses(agentId, clients[i], feedbackIndex, responders);
                continue;
            }
            uint64 last = _lastIndex[agentId][clients[i]];
            for (uint64 j = 1; j <= last; j++) {
                count += _countResponses(agentId, clients[i], j, responders);
            }
        }
    }

    function _countResponses(uint256 agentId, address client, uint64 index, address[] calldata responders)
        private
        view
        returns (uint64 count)
    {
        address[] memory who = responders;
        if (who.length == 0) who = _responders[agentId][client][index];
        for (uint256 k; k < who.length; k++) {
            count += _responseCount[agentId][client][index][who[k]];
        }
    }

    /// @dev The (client, index) of every entry from `given` (every client of the agent when empty) whose tags
    /// match, revoked ones only when asked: counted first, then filled, so memory is exactly the result.
    function _matching(
        uint256 agentId,
        address[] memory given,
        string memory tag1,
        string memory tag2,
        bool includeRevoked
    ) private view returns (address[] memory clients, uint64[] memory indexes) {
        address[] memory from = given.length > 0 ? given : _clients[agentId];
        uint256 n;
        for (uint256 pass; pass < 2; pass++) {
            if (pass == 1) (clients, indexes, n) = (new address[](n), new uint64[](n), 0);
            for (uint256 i; i < from.length; i++) {
                uint64 last = _lastIndex[agentId][from[i]];
                for (uint64 j = 1; j <= last; j++) {
                    Feedback storage f = _feedback[agentId][from[i]][j];
                    if ((f.isRevoked && !includeRevoked) || !_tagsMatch(f, tag1, tag2)) continue;
                    if (pass == 1) (clients[n], indexes[n]) = (from[i], j);
                    n++;
                }
            }
        }
    }

    function _entries(uint256 agentId, address[] memory clients, uint64[] memory indexes)
        private
        view
        returns (
            int128[] memory values,
            uint8[] memory valueDecimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revokedStatuses
        )
    {
        uint256 n = clients.length;
        (values, valueDecimals, tag1s, tag2s, revokedStatuses) =
            (new int128[](n), new uint8[](n), new string[](n), new string[](n), new bool[](n));
        for (uint256 i; i < n; i++) {
            Feedback storage f = _feedback[agentId][clients[i]][indexes[i]];
            (values[i], valueDecimals[i], tag1s[i], tag2s[i], revokedStatuses[i]) =
                (f.value, f.valueDecimals, f.tag1, f.tag2, f.isRevoked);
        }
    }

    function _mean(uint256 agentId, address[] memory clients, uint64[] memory indexes)
        private
        view
        returns (uint64 count, int128 meanValue, uint8 meanDecimals)
    {
        int256 sumWad;
        for (uint256 i; i < clients.length; i++) {
            Feedback storage f = _feedback[agentId][clients[i]][indexes[i]];
            sumWad += int256(f.value) * int256(10 ** (MAX_VALUE_DECIMALS - f.valueDecimals));
            if (f.valueDecimals > meanDecimals) meanDecimals = f.valueDecimals;
        }
        count = uint64(clients.length);
        if (count == 0) return (0, 0, 0);
        // A mean of values within ±1e38 stays within ±1e38, so it fits int128.
        meanValue = int128(sumWad / int256(uint256(count)) / int256(10 ** (MAX_VALUE_DECIMALS - meanDecimals)));
    }

    function _existing(uint256 agentId, address client, uint64 index) private view returns (Feedback storage) {
        if (index == 0 || index > _lastIndex[agentId][client]) revert FeedbackNotFound(agentId, client, index);
        return _feedback[agentId][client][index];
    }

    function _tagsMatch(Feedback storage f, string memory tag1, string memory tag2) private view returns (bool) {
        return (bytes(tag1).length == 0 || keccak256(bytes(f.tag1)) == keccak256(bytes(tag1)))
            && (bytes(tag2).length == 0 || keccak256(bytes(f.tag2)) == keccak256(bytes(tag2)));
    }
}
