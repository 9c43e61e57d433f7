#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/grid/grid_tools.h>

#include <deal.II/numerics/data_out.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/mollifier/convolution_operator.h>
#include <mollifem/output/field_writer.h>
#include <mollifem/study/study.h>

namespace mollifem
{
  namespace
  {
    /// A derivative's name as a field name: d2/dxdy -> d2_dxdy.
    std::string
    field_name(std::string name)
    {
      for (char &c : name)
        if (c == '/')
          c = '_';
      return name;
    }
  } // namespace



  template <int dim>
  void
  Study<dim>::setup_mollifier()
  {
    std::vector<DifferentialOperator<dim>> operators;
    for (const std::string &name : mollifier_parameters.derivatives)
      operators.push_back(DifferentialOperator<dim>::parse(name));

    mollifier_fe =
      std::make_unique<FE_Q<dim>>(solvers.front()->dof_handler().get_fe().degree);
    mollifier_dofs = std::make_unique<DoFHandler<dim>>(*triangulation);
    mollifier_dofs->distribute_dofs(*mollifier_fe);
    mollifier_targets =
      Targets<dim>::at_support_points(*mollifier_dofs, solvers.front()->mapping());

    mollifier =
      std::make_unique<ConvolutionOperator<dim>>(mollifier_parameters,
                                                 operators);
    // Applied once per run: never assembled. Here only every moment
    // problem is checked, before any output is written.
    try
      {
        std::vector<std::vector<LA::Vector>> none;
        mollifier->convolve(
          observations.front().points, data_weights, mollifier_targets, {}, none);
      }
    catch (const ExceptionBase &e)
      {
        AssertThrow(false,
                    ExcParameter("Mollifier/Radius", user_message(e)));
      }
  }



  template <int dim>
  void
  Study<dim>::mollify_observations()
  {
    const auto &statistics = mollifier->statistics();
    pcout << "Mollified data: " << mollifier_parameters.kernel << " kernel, "
          << (mollifier_parameters.moment_corrected ? "moment corrected" :
                                                      "plain")
          << ", " << statistics.n_targets << " nodes, at least "
          << statistics.min_points_in_ball << " data points per kernel ball"
          << std::endl;
    summary.set("mollified data/targets", statistics.n_targets);
    summary.set("mollified data/target-point pairs", statistics.n_pairs);
    summary.set("mollified data/min points in a kernel ball",
                statistics.min_points_in_ball);

    const DoFHandler<dim> &dof_handler = *mollifier_dofs;
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    std::vector<LA::Vector> fields(mollifier->n_outputs(),
                                   LA::Vector(dof_handler.locally_owned_dofs(),
                                              relevant,
                                              communicator));
    // The snapshots of all experiments are mollified together.
    std::vector<std::vector<double>> all_values;
    for (const auto &data : observations)
      all_values.insert(all_values.end(), data.values.begin(), data.values.end());
    std::vector<std::vector<LA::Vector>> results;
    mollifier->convolve(observations.front().points,
                        data_weights,
                        mollifier_targets,
                        all_values,
                        results);
    unsigned int first_snapshot = 0;
    for (unsigned int e = 0; e < n_experiments(); ++e)
      {
        const Observations<dim> &data = observations[e];
        FieldWriter<dim>         writer(output_parameters.directory,
                                "mollified" + file_suffix(e),
                                communicator);
        for (unsigned int s = 0; s < data.n_snapshots(); ++s)
          {
            DataOut<dim> data_out;
            for (unsigned int o = 0; o < mollifier->n_outputs(); ++o)
              {
                fields[o] = results[first_snapshot + s][o];
                data_out.add_data_vector(
                  dof_handler,
                  fields[o],
                  data.field_name + "_" +
                    field_name(mollifier->output(o).name()));
              }
            if (output_parameters.write_vtu)
              {
                data_out.build_patches(solvers.front()->mapping(),
                                       mollifier_fe->degree);
                writer.write(data_out,
                             data.is_transient() ? data.times[s] : 0.);
              }
          }
        first_snapshot += data.n_snapshots();
        if (output_parameters.write_vtu)
          pcout << "  fields: "
                << join_path(output_parameters.directory, writer.pvd_name())
                << std::endl;
      }
  }



  template void
  Study<1>::setup_mollifier();
  template void
  Study<2>::setup_mollifier();
  template void
  Study<3>::setup_mollifier();
  template void
  Study<1>::mollify_observations();
  template void
  Study<2>::mollify_observations();
  template void
  Study<3>::mollify_observations();
} // namespace mollifem
