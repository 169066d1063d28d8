// The API tests' staff: testkit's staffWith, signing in with PASSWORD.
export { staffWith, STAFF_PASSWORD as PASSWORD } from '@yiduan/testkit';
