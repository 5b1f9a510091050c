/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fl-token.h"

static void
test_tokens_are_random_and_well_formed (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 0; i < 1000; i++)
    {
      g_autoptr (GError) error = NULL;
      char *token = fl_token_new (&error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (token, "fl_"));
      g_assert_cmpuint (strlen (token), ==, 67);
      g_assert_false (g_hash_table_contains (seen, token));
      g_hash_table_add (seen, token);
    }
}

static void
test_hash_is_sha256 (void)
{
  g_autofree char *h = fl_token_hash ("abc");

  g_assert_cmpstr (h, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_true (fl_sha256_is_valid_hex (h));
  g_assert_false (fl_sha256_is_valid_hex ("../etc/passwd"));
  g_assert_false (
    fl_sha256_is_valid_hex ("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  g_assert_false (fl_sha256_is_valid_hex (NULL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/token/new/random-and-well-formed", test_tokens_are_random_and_well_formed);
  g_test_add_func ("/token/hash/is-sha256-hex", test_hash_is_sha256);
  return g_test_run ();
}
