// The parameter reference committed as doc/parameters.md is what the driver
// generates now (regenerate with `cmake --build build --target parameters`),
// and every parameter has documentation.

#include <deal.II/base/mpi.h>

#include <mollifem/study/driver.h>

#include <boost/property_tree/json_parser.hpp>

#include <fstream>
#include <sstream>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

unsigned int
count_undocumented(const boost::property_tree::ptree &tree,
                   unsigned int &                     n_entries)
{
  unsigned int undocumented = 0;
  for (const auto &[key, child] : tree)
    if (child.count("value") > 0)
      {
        ++n_entries;
        if (child.get<std::string>("documentation").size() < 10)
          {
            ++undocumented;
            testing::log() << "undocumented: " << key << std::endl;
          }
      }
    else if (!child.empty())
      undocumented += count_undocumented(child, n_entries);
  return undocumented;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  ParameterHandler prm;
  declare_all_parameters(prm);

  std::ostringstream generated;
  print_parameters_markdown(prm, generated);
  std::ifstream      file(SOURCE_DIR "/../../doc/parameters.md");
  std::ostringstream committed;
  committed << file.rdbuf();
  testing::log() << "doc/parameters.md is up to date: "
                 << testing::yes_no(generated.str() == committed.str())
                 << std::endl;

  std::stringstream json;
  prm.print_parameters(json, ParameterHandler::JSON);
  boost::property_tree::ptree tree;
  boost::property_tree::read_json(json, tree);
  unsigned int       n_entries    = 0;
  const unsigned int undocumented = count_undocumented(tree, n_entries);
  testing::log() << "every parameter documented: "
                 << testing::yes_no(undocumented == 0 && n_entries > 40)
                 << std::endl;
}
