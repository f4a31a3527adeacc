"""干部考察识别: observations of cadres seen in the field, kept by the organisation department."""
