/** Valid modal values per vendor, as a requester would fill them in (sandbox and end-to-end tests). */
export const PJM_SMITH = {
  username: 'smithj01',
  firstName: 'John',
  lastName: 'Smith',
  jobTitle: 'Engineer',
  phone: '555-555-5555',
  email: 'jsmith@fake.com',
  employer: 'ACCT',
  employedAs: 'Employee',
  accountAccess: ['PJM Public'],
};

/** Certification generates the password by default (CERT_USER_PASSWORDS=generate): none is typed. */
export const CERT_USER1 = {
  userName: 'testuser1',
  firstName: 'Test',
  lastName: 'User1',
  email: 'testuser1@localhost.local',
  roles: ['Certification:Reconciler'],
  departmentId: 'SALES',
  locationId: 'Americas',
};

/** A normal PAM360 user, Ann Lee, under `username`. */
export const pam360User = (username: string) => ({
  userType: 'normal',
  FIRSTNAME: 'Ann',
  LASTNAME: 'Lee',
  USERNAME: username,
  EMAIL: `${username}@example.com`,
});
